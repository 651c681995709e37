// What a resource's fields are, said once: the write API's schemas, the workspace's forms, the
// checks a schema cannot make and the representation the API answers with are all derived
// from these specs (resources/*.ts), so a field added to a resource reaches all of them.
import { Type, type TObject, type TSchema } from 'typebox';
import type { Language, LocalizedText } from '../../../db/schema.ts';
import type { FieldError } from '../../../errors.ts';
import { UnprocessableError } from '../../../errors.ts';
import { parseEventTime } from '../../../time.ts';
import { DateTimeInput, DateTimeOutput, LocalDate, Localized, Nullable, Position, PublicId, Version } from '../schemas.ts';
import type { ItemKind } from '../items.ts';
import { endFits, outsideProblem, startFits, type EventWindow } from '../bounds.ts';
import { InterpretationList, InterpretationListOutput, interpretationProblems, normalizeInterpretation } from '../languages.ts';

interface Common {
  /** Said in the API's documentation. */
  description?: string;
  /** Required when creating (the API refuses a creation without it, and a form marks it). */
  required?: true;
  /** May be null: "no value". */
  nullable?: true;
}

export type FieldSpec = Common & (
  /** Text in fr/en/es; when required, the event's default language must be given. */
  | { type: 'localized'; max: number; multiline?: true }
  | { type: 'text'; max: number; pattern?: string }
  | { type: 'enum'; values: readonly string[] }
  /** Order among the event's items of the kind; the end of the list when not given. */
  | { type: 'position' }
  /** A calendar date of the event (YYYY-MM-DD). */
  | { type: 'date' }
  /** A time of the event, stored as an instant in `column`. */
  | { type: 'time'; column: 'startsAt' | 'endsAt' }
  /** Another item of the event, by public id, stored as its row id in `column`. */
  | { type: 'reference'; to: ItemKind; column: string }
  /**
   * The languages interpreted into, each with its receivers' channel, stored in the column of
   * the field's name. `emptyIsNull`: an empty list means no value (a room's "none"); without
   * it, null and an empty list differ (a session's "as the room" and "none").
   */
  | { type: 'interpretation'; emptyIsNull?: true }
  /** A shape of its own (a session's contributors, outputs, links), with its schemas given. */
  | { type: 'custom'; input: TSchema; output: TSchema }
);

export type FieldSpecs = Record<string, FieldSpec>;

/** The schema of a field in a request body. */
export function inputSchema(spec: FieldSpec): TSchema {
  const options = spec.description ? { description: spec.description } : {};
  let schema: TSchema;
  switch (spec.type) {
    case 'localized': schema = Localized(spec.max, spec.description); break;
    // A pattern says what the text looks like, non-empty included.
    case 'text': schema = Type.String({ ...(spec.pattern ? { pattern: spec.pattern } : { minLength: 1 }), maxLength: spec.max, ...options }); break;
    case 'enum': schema = Type.Enum(spec.values as string[], options); break;
    case 'position': schema = Position; break;
    case 'date': schema = LocalDate; break;
    case 'time': schema = DateTimeInput; break;
    case 'reference': schema = PublicId; break;
    case 'interpretation': schema = InterpretationList(options); break;
    case 'custom': schema = spec.input; break;
  }
  return spec.nullable ? Nullable(schema) : schema;
}

/** The schema of a field in an answer: times carry the event's offset; references are public ids. */
export function outputSchema(spec: FieldSpec): TSchema {
  switch (spec.type) {
    case 'time': return spec.nullable ? Nullable(DateTimeOutput) : DateTimeOutput;
    case 'text': return spec.nullable ? inputSchema(spec) : Type.String();
    case 'custom': return spec.output;
    case 'interpretation': return spec.nullable ? Nullable(InterpretationListOutput) : InterpretationListOutput;
    default: return inputSchema(spec);
  }
}

const strict = { additionalProperties: false } as const;

/** Create, patch and answer schemas of a resource: a creation needs the required fields, a patch none. */
export function schemasOf(fields: FieldSpecs) {
  const create = Type.Object(Object.fromEntries(Object.entries(fields)
    .map(([name, spec]) => [name, spec.required ? inputSchema(spec) : Type.Optional(inputSchema(spec))])), strict);
  return {
    create,
    patch: Type.Partial(create, strict),
    out: outSchemaOf(fields),
  };
}

export function outSchemaOf(fields: FieldSpecs, extra: Record<string, TSchema> = {}): TObject {
  return Type.Object({
    id: PublicId,
    ...Object.fromEntries(Object.entries(fields).map(([name, spec]) => [name, outputSchema(spec)])),
    ...extra,
    version: Version,
  });
}

// ---- Checking a body: what a schema cannot say

/** Field errors gathered while a body is read, thrown together. */
export class Problems {
  readonly list: FieldError[] = [];
  add(error: FieldError): void {
    this.list.push(error);
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw new UnprocessableError(this.list);
  }
}

/** A content field that must exist must be given in the event's default language, the one every fallback ends at. */
export function checkDefaultLanguage(problems: Problems, pointer: string, value: LocalizedText | null | undefined, language: Language): void {
  if (value && value[language] === undefined) problems.add({ pointer: `${pointer}/${language}`, code: 'default-language', params: { language } });
}

/** Parses a time of a body, noting what is wrong with it. */
export function parseTime(problems: Problems, field: string, value: string, zone: string): Date | null {
  const parsed = parseEventTime(value, zone);
  if (parsed instanceof Date) return parsed;
  problems.add({ pointer: `#/${field}`, ...parsed });
  return null;
}

export function checkOrder(problems: Problems, field: string, start: Date | null, end: Date | null): void {
  if (start && end && end.getTime() <= start.getTime()) problems.add({ pointer: `#/${field}`, code: 'end-before-start' });
}

/** A start or an end outside the event's days is refused, naming the field: no stored time is far from its event. */
export function checkWithinEvent(problems: Problems, field: string, column: 'startsAt' | 'endsAt', instant: Date | null, window: EventWindow): void {
  if (instant && !(column === 'startsAt' ? startFits : endFits)(window, instant)) problems.add(outsideProblem(window, `#/${field}`, instant));
}

/** How a body's references are found: the row id of an item of the event, by public id. */
export type FindReference = (kind: ItemKind, publicId: string) => number | null;

export interface PrepareContext {
  zone: string;
  /** Where the event's times may lie. */
  window: EventWindow;
  defaultLanguage: Language;
  find: FindReference;
}

/** Column values of a body, for the fields the spec describes; `current` is the row a patch starts from. */
export function columnsOf(fields: FieldSpecs, body: Record<string, unknown>, current: Record<string, unknown> | null, ctx: PrepareContext, problems: Problems): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(fields)) {
    const value = body[name];
    if (value === undefined || spec.type === 'custom') continue;
    switch (spec.type) {
      case 'localized':
        if (spec.required) checkDefaultLanguage(problems, `#/${name}`, value as LocalizedText, ctx.defaultLanguage);
        values[name] = value;
        break;
      case 'time': {
        const instant = value === null ? null : parseTime(problems, name, value as string, ctx.zone);
        checkWithinEvent(problems, name, spec.column, instant, ctx.window);
        values[spec.column] = instant;
        break;
      }
      case 'reference': {
        if (value === null) {
          values[spec.column] = null;
          break;
        }
        const id = ctx.find(spec.to, value as string);
        if (id === null) problems.add({ pointer: `#/${name}`, code: 'unknown-reference', params: { noun: NOUNS[spec.to], id: value as string } });
        else values[spec.column] = id;
        break;
      }
      case 'interpretation': {
        const list = value === null ? null : normalizeInterpretation(value as { language: string; channel?: string | null }[]);
        for (const problem of interpretationProblems(`#/${name}`, list ?? [])) problems.add(problem);
        values[name] = list !== null && list.length === 0 && spec.emptyIsNull ? null : list;
        break;
      }
      default:
        values[name] = value;
    }
  }
  // An end before its start, whichever of the two the body changes (the other is the row's).
  const endField = Object.entries(fields).find(([, s]) => s.type === 'time' && s.column === 'endsAt')?.[0];
  if (endField) {
    const at = (column: 'startsAt' | 'endsAt') => (column in values ? values[column] : current?.[column] ?? null) as Date | null;
    checkOrder(problems, endField, at('startsAt'), at('endsAt'));
  }
  return values;
}

/** What each kind is called in messages ("this event has no time slot …"). */
export const NOUNS: Record<ItemKind, string> = {
  part: 'part', room: 'room', slot: 'time slot', session: 'session', organisation: 'organisation', person: 'person', output: 'expected output',
};

/** Public id of a referenced row, for answers. */
export type PublicIdOf = (kind: ItemKind, id: number | null) => string | null;

/** A row as the API answers with it: its public id, every field of the spec, its version. */
export function representationOf(fields: FieldSpecs, row: Record<string, unknown> & { publicId: string; version: number }, zoned: (instant: Date) => string, publicIdOf: PublicIdOf): Record<string, unknown> & { id: string; version: number } {
  // An item's place in its list comes first, as answers and the audit log have always shown it.
  const out: Record<string, unknown> = 'position' in fields ? { id: row.publicId, position: row.position } : { id: row.publicId };
  for (const [name, spec] of Object.entries(fields)) {
    switch (spec.type) {
      case 'time': {
        const instant = row[spec.column] as Date | null;
        out[name] = instant ? zoned(instant) : null;
        break;
      }
      case 'reference':
        out[name] = publicIdOf(spec.to, row[spec.column] as number | null);
        break;
      case 'custom':
        break;
      default:
        out[name] = row[name] ?? null;
    }
  }
  out.version = row.version;
  return out as Record<string, unknown> & { id: string; version: number };
}
