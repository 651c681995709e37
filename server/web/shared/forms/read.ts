// Reading a form: its urlencoded fields to the very body the write API would receive, and an
// entity (as the API represents it) back to fields.
import { LANGUAGES } from '../../../db/schema.ts';
import type { FieldError } from '../../../errors.ts';
import { clean, MAX_CONTRIBUTOR_ROWS, single, type FieldDef, type FormMode, type FormSpec, type FormValues } from './fields.ts';

const lf = (text: string) => text.replace(/\r\n?/g, '\n');

/** The fields of a form from a parsed urlencoded body: known names only, strings only. */
export function readForm(form: FormSpec, raw: unknown): FormValues {
  const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const values: FormValues = {};
  // Browsers send a textarea's line breaks as CRLF and texts are saved with LF: read once here,
  // so that a stale save compares like with like and a form shown again keeps LF.
  const one = (name: string) => {
    const value = body[name];
    const text = typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
    if (text !== undefined) values[name] = lf(text);
  };
  for (const field of form.fields) {
    switch (field.type) {
      case 'localized':
        for (const lang of LANGUAGES) one(`${field.name}.${lang}`);
        break;
      case 'checkboxes': {
        const value = body[field.name];
        values[field.name] = (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
        break;
      }
      case 'contributors':
        for (let i = 0; i < MAX_CONTRIBUTOR_ROWS; i += 1) for (const part of ['role', 'person', 'organisation']) one(`contributors.${i}.${part}`);
        break;
      default:
        one(field.name);
    }
  }
  one('version');
  return values;
}

/** The version a form started from, or null when it carries none. */
export function versionOf(values: FormValues): number | null {
  const raw = values.version;
  return typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}

export interface BodyResult {
  body: Record<string, unknown>;
  /** Problems found before the schema: required fields left empty. */
  errors: FieldError[];
  /** The form field a JSON pointer of the body names. */
  fieldOf: (pointer: string) => string;
  /** The line of its textarea a JSON pointer of the body names (links: one per line), or null. */
  lineOf?: (pointer: string) => number | null;
}

/**
 * The links of a textarea, one per line: the address, then (after the first white space) the
 * title. Blank lines are skipped; `line` is the line's number as the textarea shows it.
 */
export function parseLinks(text: string): { url: string; title: string; line: number }[] {
  const links: { url: string; title: string; line: number }[] = [];
  text.replace(/\r\n?/g, '\n').split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const space = line.search(/\s/);
    links.push(space < 0
      ? { url: line, title: '', line: i + 1 }
      : { url: line.slice(0, space), title: line.slice(space).trim(), line: i + 1 });
  });
  return links;
}

/**
 * Links as the textarea shows them: "address title", one per line. An address never holds
 * white space (the API refuses it; an imported one is percent-encoded here) and a title never
 * a line break, so that saving the form unchanged gives back the same links.
 */
export function linksText(links: { url: string; title: string }[] | null | undefined): string {
  return (links ?? []).map((link) => `${link.url.replace(/\s/g, (c) => encodeURIComponent(c))} ${link.title.replace(/\s+/g, (run) => (/[\r\n]/.test(run) ? ' ' : run))}`).join('\n');
}

/** What a session's interpretation field holds to say "none, whatever the room has". */
export const NO_INTERPRETATION = '-';

/**
 * The interpretation of a textarea, one language a line: its tag, then (after the first white
 * space) the receivers' channel. Blank lines are skipped; `line` is the line's number as shown.
 */
export function parseInterpretation(text: string): { language: string; channel: string | null; line: number }[] {
  const list: { language: string; channel: string | null; line: number }[] = [];
  text.replace(/\r\n?/g, '\n').split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const space = line.search(/\s/);
    list.push(space < 0
      ? { language: line, channel: null, line: i + 1 }
      : { language: line.slice(0, space), channel: line.slice(space).trim(), line: i + 1 });
  });
  return list;
}

/** An interpretation as its textarea shows it: "es 2", one a line; "-" for a session's "none", empty for null. */
export function interpretationText(list: { language: string; channel: string | null }[] | null | undefined, inherits: boolean): string {
  if (list === null || list === undefined) return '';
  if (list.length === 0) return inherits ? NO_INTERPRETATION : '';
  return list.map((i) => (i.channel === null ? i.language : `${i.language} ${i.channel.replace(/\s+/g, ' ')}`)).join('\n');
}

/**
 * Turns a form into the body of the write the API would receive. A field absent from the
 * form is left out (unchanged); checkbox groups are always complete, as browsers send only
 * the ticked boxes. A session placed with new start and end times ignores its slot choice.
 */
export function toBody(form: FormSpec, mode: FormMode, values: FormValues): BodyResult {
  const body: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  const required = (field: FieldDef) => errors.push({ pointer: `#/${field.name}`, code: 'required' });
  const contributorRows: number[] = [];
  let linkLines: number[] = [];
  let interpretationLines: number[] = [];
  for (const field of form.fields) {
    switch (field.type) {
      case 'localized': {
        const names = LANGUAGES.map((lang) => `${field.name}.${lang}`);
        if (names.every((name) => values[name] === undefined)) break;
        const text: Record<string, string> = {};
        for (const lang of LANGUAGES) {
          const value = clean(single(values, `${field.name}.${lang}`));
          if (value) text[lang] = value;
        }
        if (Object.keys(text).length > 0) body[field.name] = text;
        else if (field.required) required(field);
        else if (field.nullable) body[field.name] = null;
        break;
      }
      case 'checkboxes': {
        const list = values[field.name];
        body[field.name] = Array.isArray(list) ? list : list === undefined ? [] : [list];
        break;
      }
      case 'contributors': {
        const list: Record<string, unknown>[] = [];
        let present = false;
        for (let i = 0; i < MAX_CONTRIBUTOR_ROWS; i += 1) {
          const role = single(values, `contributors.${i}.role`);
          const person = clean(single(values, `contributors.${i}.person`)) || null;
          const organisation = clean(single(values, `contributors.${i}.organisation`)) || null;
          if (role !== undefined || person !== null || organisation !== null) present = true;
          // A row without a person and an organisation is an empty row: it adds no one.
          if (person === null && organisation === null) continue;
          contributorRows.push(i);
          list.push({ role: role ?? 'speaker', person, organisation });
        }
        if (present) body.contributors = list;
        break;
      }
      case 'links': {
        const raw = single(values, field.name);
        // A form without the field leaves the links as they are; an empty one removes them.
        if (raw === undefined) break;
        const links = parseLinks(raw);
        linkLines = links.map((link) => link.line);
        body[field.name] = links.length > 0 ? links.map(({ url, title }) => ({ url, title })) : null;
        break;
      }
      case 'interpretation': {
        const raw = single(values, field.name);
        if (raw === undefined) break;
        const list = parseInterpretation(raw);
        interpretationLines = list.map((i) => i.line);
        // Empty: no list of its own (a session then has its room's); a dash alone: none at all.
        if (field.inherits && list.length === 1 && list[0]!.language === NO_INTERPRETATION && list[0]!.channel === null) body[field.name] = [];
        else body[field.name] = list.length > 0 ? list.map(({ language, channel }) => ({ language, channel })) : null;
        break;
      }
      default: {
        const raw = single(values, field.name);
        if (raw === undefined) break;
        const value = field.type === 'password' ? raw : clean(raw)!;
        if (value === '') {
          if (field.required) required(field);
          else if (field.nullable) body[field.name] = null;
          break;
        }
        if (field.type === 'number') body[field.name] = /^\d{1,9}$/.test(value) ? Number(value) - (field.position ? 1 : 0) : value;
        else if (field.upperCase) body[field.name] = value.toUpperCase();
        else body[field.name] = value;
      }
    }
  }
  form.adjust?.(body, mode);
  const fieldOf = (pointer: string) => {
    const path = pointer.replace(/^#\/?/, '').split('/').filter((p) => p !== '');
    if (path[0] === 'contributors' && path[1] !== undefined) {
      const row = contributorRows[Number(path[1])];
      return row === undefined ? 'contributors' : ['contributors', String(row), ...path.slice(2)].join('.');
    }
    if (path[0] === 'outputs' || path[0] === 'languages' || path[0] === 'links' || path[0] === 'interpretation') return path[0];
    return path.join('.');
  };
  const lineOf = (pointer: string) => {
    const match = /^#\/(links|interpretation)\/(\d+)(\/|$)/.exec(pointer);
    if (!match) return null;
    return (match[1] === 'links' ? linkLines : interpretationLines)[Number(match[2])] ?? null;
  };
  return { body, errors, fieldOf, lineOf };
}

/** "2019-11-12T09:00:00+02:00" → "2019-11-12T09:00": answers carry the event's own offset, so this is its local time. */
const localTime = (value: unknown) => (typeof value === 'string' ? value.slice(0, 16) : '');

export function fromEntity(form: FormSpec, entity: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const field of form.fields) {
    const value = entity[field.name];
    switch (field.type) {
      case 'localized':
        for (const lang of LANGUAGES) values[`${field.name}.${lang}`] = (value as Record<string, string> | null | undefined)?.[lang] ?? '';
        break;
      case 'checkboxes':
        values[field.name] = Array.isArray(value) ? value.map(String) : [];
        break;
      case 'contributors':
        ((value ?? []) as { role: string; person: string | null; organisation: string | null }[]).forEach((c, i) => {
          values[`contributors.${i}.role`] = c.role;
          values[`contributors.${i}.person`] = c.person ?? '';
          values[`contributors.${i}.organisation`] = c.organisation ?? '';
        });
        break;
      case 'datetime':
        values[field.name] = field.compare === false ? '' : localTime(value);
        break;
      case 'links':
        values[field.name] = linksText(value as { url: string; title: string }[] | null | undefined);
        break;
      case 'interpretation':
        values[field.name] = interpretationText(value as { language: string; channel: string | null }[] | null | undefined, field.inherits === true);
        break;
      case 'password':
        values[field.name] = '';
        break;
      case 'number':
        values[field.name] = typeof value === 'number' ? String(field.position ? value + 1 : value) : value === null || value === undefined ? '' : String(value);
        break;
      default:
        values[field.name] = value === null || value === undefined ? '' : String(value);
    }
  }
  if (typeof entity.version === 'number') values.version = String(entity.version);
  return values;
}

