// The organisers' HTML forms: what each form holds, turning its urlencoded fields into the
// very bodies the write API takes (checked against the same TypeBox schemas), turning an
// entity back into fields, and the field-by-field view the templates render (errors,
// missing translations, and the saved value beside each field after a stale save).
//
// Field names are the body's JSON pointers with dots: "title.fr" is #/title/fr,
// "contributors.2.person" is #/contributors/2/person, so an error of the service or of the
// schema lands on the field it names.
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { Type, type TSchema } from 'typebox';
import { CONTRIBUTOR_ROLES, LANGUAGES, SESSION_KINDS, SESSION_STATUSES, USER_ROLES, type Language } from '../../db/schema.ts';
import type { FieldError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../domains/accounts/passwords.ts';
import { EMAIL_PATTERN } from '../../domains/accounts/service.ts';
import {
  EventCreate, EventPatch, OrganisationCreate, OrganisationPatch, OutputCreate, OutputPatch, PartCreate, PartPatch, PersonCreate,
  PersonPatch, RoomCreate, RoomPatch, SessionCreate, SessionPatch, Slug, SlotCreate, SlotPatch,
} from '../../domains/programme/schemas.ts';

/** A form's fields as sent: one string each, or several for checkbox groups. */
export type FormValues = Record<string, string | string[]>;

export type FormKind = 'event' | 'eventCreate' | 'part' | 'room' | 'slot' | 'output' | 'organisation' | 'person' | 'session' | 'user';
export type FormMode = 'create' | 'patch';

type FieldType = 'text' | 'number' | 'date' | 'datetime' | 'email' | 'password' | 'select' | 'localized' | 'checkboxes' | 'contributors' | 'links';

interface FieldDef {
  /** The body's property. */
  name: string;
  type: FieldType;
  /** i18n keys. */
  label: string;
  hint?: string;
  required?: boolean;
  /** An empty field means null ("no value"); otherwise it is left out of the body. */
  nullable?: boolean;
  multiline?: boolean;
  maxLength?: number;
  /** The list of choices the page supplies, by name. */
  options?: string;
  /** Not compared with the saved value after a stale save (it has no saved value of its own). */
  compare?: false;
  /** i18n key of the empty choice of a nullable select. */
  noneLabel?: string;
  autocomplete?: string;
}

const localized = (name: string, label: string, maxLength: number, more: Partial<FieldDef> = {}): FieldDef =>
  ({ name, type: 'localized', label, maxLength, ...more });
const text = (name: string, label: string, maxLength: number, more: Partial<FieldDef> = {}): FieldDef =>
  ({ name, type: 'text', label, maxLength, ...more });
const select = (name: string, label: string, options: string, more: Partial<FieldDef> = {}): FieldDef =>
  ({ name, type: 'select', label, options, ...more });
const datetime = (name: string, label: string, more: Partial<FieldDef> = {}): FieldDef => ({ name, type: 'datetime', label, ...more });

const eventFields = {
  title: localized('title', 'admin.field.title', 300, { required: true }),
  timezone: text('timezone', 'admin.field.timezone', 64, { required: true, hint: 'admin.hint.timezone' }),
  defaultLanguage: select('defaultLanguage', 'admin.field.defaultLanguage', 'languages', { required: true }),
  languages: { name: 'languages', type: 'checkboxes', label: 'admin.field.languages', options: 'languages', required: true } as FieldDef,
  startDate: { name: 'startDate', type: 'date', label: 'admin.field.startDate', required: true } as FieldDef,
  endDate: { name: 'endDate', type: 'date', label: 'admin.field.endDate', required: true } as FieldDef,
  city: text('city', 'admin.field.city', 100, { nullable: true }),
  country: text('country', 'admin.field.country', 2, { nullable: true, hint: 'admin.hint.country' }),
};

const FORMS: Record<FormKind, FieldDef[]> = {
  event: [
    eventFields.title,
    localized('subtitle', 'admin.field.subtitle', 300, { nullable: true }),
    localized('description', 'admin.field.eventDescription', 20000, { nullable: true, multiline: true }),
    localized('venue', 'admin.field.venue', 300, { nullable: true }),
    eventFields.city, eventFields.country, eventFields.timezone, eventFields.defaultLanguage, eventFields.languages,
    eventFields.startDate, eventFields.endDate,
  ],
  eventCreate: [
    text('slug', 'admin.field.slug', 60, { required: true, hint: 'admin.hint.slug' }),
    eventFields.title, eventFields.startDate, eventFields.endDate, eventFields.timezone, eventFields.defaultLanguage, eventFields.languages,
    eventFields.city, eventFields.country,
  ],
  part: [
    localized('label', 'admin.field.partLabel', 200, { required: true, hint: 'admin.hint.partLabel' }),
    localized('title', 'admin.field.title', 300, { required: true }),
    datetime('start', 'admin.field.partStart', { nullable: true, hint: 'admin.hint.partHours' }),
    datetime('end', 'admin.field.partEnd', { nullable: true }),
  ],
  room: [
    localized('name', 'admin.field.name', 200, { required: true }),
    { name: 'position', type: 'number', label: 'admin.field.position', hint: 'admin.hint.position' },
  ],
  slot: [datetime('start', 'admin.field.start', { required: true }), datetime('end', 'admin.field.end', { required: true })],
  output: [
    localized('statement', 'admin.field.statement', 1000, { required: true, multiline: true }),
    { name: 'position', type: 'number', label: 'admin.field.position', hint: 'admin.hint.outputPosition' },
  ],
  organisation: [
    localized('name', 'admin.field.shortName', 200, { required: true }),
    localized('fullName', 'admin.field.fullName', 300, { nullable: true }),
    localized('description', 'admin.field.about', 5000, { nullable: true, multiline: true }),
  ],
  person: [
    text('name', 'admin.field.personName', 200, { required: true }),
    select('organisation', 'admin.field.organisation', 'organisations', { nullable: true }),
    localized('bio', 'admin.field.bio', 5000, { nullable: true, multiline: true }),
  ],
  session: [
    localized('title', 'admin.field.title', 300, { required: true }),
    localized('subtitle', 'admin.field.subtitle', 300, { nullable: true }),
    localized('abstract', 'admin.field.abstract', 10000, { nullable: true, multiline: true, hint: 'admin.hint.abstract' }),
    localized('description', 'admin.field.agenda', 10000, { nullable: true, multiline: true, hint: 'admin.hint.agenda' }),
    select('kind', 'admin.field.kind', 'kinds', { required: true }),
    select('status', 'admin.field.status', 'statuses', { required: true }),
    text('language', 'admin.field.sessionLanguage', 50, { nullable: true, hint: 'admin.hint.sessionLanguage' }),
    select('part', 'admin.field.part', 'parts', { nullable: true }),
    select('slot', 'admin.field.slot', 'slots', { nullable: true, noneLabel: 'admin.form.unscheduled' }),
    datetime('start', 'admin.field.newStart', { compare: false, hint: 'admin.hint.newTimes' }),
    datetime('end', 'admin.field.newEnd', { compare: false }),
    select('room', 'admin.field.room', 'rooms', { nullable: true }),
    { name: 'contributors', type: 'contributors', label: 'admin.field.contributors', hint: 'admin.hint.contributors' },
    { name: 'outputs', type: 'checkboxes', label: 'admin.field.outputs', options: 'outputs' },
    { name: 'links', type: 'links', label: 'admin.field.links', hint: 'admin.hint.links', nullable: true },
  ],
  user: [
    { name: 'email', type: 'email', label: 'admin.field.email', required: true, maxLength: 254, autocomplete: 'off' },
    text('name', 'admin.field.personName', 200, { required: true }),
    select('role', 'admin.field.role', 'userRoles', { required: true }),
    select('event', 'admin.field.userEvent', 'events', { nullable: true, hint: 'admin.hint.userEvent', noneLabel: 'admin.form.allEvents' }),
    { name: 'password', type: 'password', label: 'admin.field.initialPassword', required: true, maxLength: PASSWORD_MAX_LENGTH, autocomplete: 'new-password', hint: 'admin.hint.password' },
  ],
};

/** Accounts are made by createUser, which checks them again; this keeps the form's checks in the same shape. */
const UserForm = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254, pattern: EMAIL_PATTERN }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  role: Type.Enum(USER_ROLES),
  event: Type.Union([Slug, Type.Null()]),
  password: Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH }),
}, { additionalProperties: false });

const SCHEMAS: Record<FormKind, Record<FormMode, TSchema>> = {
  event: { create: EventCreate, patch: EventPatch },
  eventCreate: { create: EventCreate, patch: EventPatch },
  part: { create: PartCreate, patch: PartPatch },
  room: { create: RoomCreate, patch: RoomPatch },
  slot: { create: SlotCreate, patch: SlotPatch },
  output: { create: OutputCreate, patch: OutputPatch },
  organisation: { create: OrganisationCreate, patch: OrganisationPatch },
  person: { create: PersonCreate, patch: PersonPatch },
  session: { create: SessionCreate, patch: SessionPatch },
  user: { create: UserForm, patch: UserForm },
};

/** Contributor rows a form offers beyond the existing ones, for browsers without JavaScript. */
export const EMPTY_CONTRIBUTOR_ROWS = 3;
/** The most contributor rows read from a form (the schema allows 200 contributors). */
const MAX_CONTRIBUTOR_ROWS = 200;

// ---------------------------------------------------------------------------------------------
// Reading a form

/** The fields of a form from a parsed urlencoded body: known names only, strings only. */
export function readForm(kind: FormKind, raw: unknown): FormValues {
  const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const values: FormValues = {};
  const one = (name: string) => {
    const value = body[name];
    if (typeof value === 'string') values[name] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') values[name] = value[0];
  };
  for (const field of FORMS[kind]) {
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

const single = (values: FormValues, name: string): string | undefined => {
  const value = values[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Browsers send line breaks as CRLF; texts are kept with LF, so that saving a form unchanged changes nothing. */
const clean = (value: string | undefined) => value?.replace(/\r\n?/g, '\n').trim();

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
  return (links ?? []).map((link) => `${link.url.replace(/\s/g, (c) => encodeURIComponent(c))} ${link.title.replace(/\s*[\r\n]+\s*/g, ' ')}`).join('\n');
}

/**
 * Turns a form into the body of the write the API would receive. A field absent from the
 * form is left out (unchanged); checkbox groups are always complete, as browsers send only
 * the ticked boxes. A session placed with new start and end times ignores its slot choice.
 */
export function toBody(kind: FormKind, mode: FormMode, values: FormValues): BodyResult {
  const body: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  const required = (field: FieldDef) => errors.push({ pointer: `#/${field.name}`, detail: 'is required' });
  const contributorRows: number[] = [];
  let linkLines: number[] = [];
  for (const field of FORMS[kind]) {
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
      default: {
        const raw = single(values, field.name);
        if (raw === undefined) break;
        const value = field.type === 'password' ? raw : clean(raw)!;
        if (value === '') {
          if (field.required) required(field);
          else if (field.nullable) body[field.name] = null;
          break;
        }
        if (field.type === 'number') body[field.name] = /^\d{1,9}$/.test(value) ? Number(value) : value;
        else if (field.name === 'country') body[field.name] = value.toUpperCase();
        else body[field.name] = value;
      }
    }
  }
  if (kind === 'session') {
    if (body.start !== undefined || body.end !== undefined) delete body.slot;
  }
  if (mode === 'create' && kind === 'user' && body.event === undefined) body.event = null;
  const fieldOf = (pointer: string) => {
    const path = pointer.replace(/^#\/?/, '').split('/').filter((p) => p !== '');
    if (path[0] === 'contributors' && path[1] !== undefined) {
      const row = contributorRows[Number(path[1])];
      return row === undefined ? 'contributors' : ['contributors', String(row), ...path.slice(2)].join('.');
    }
    if (path[0] === 'outputs' || path[0] === 'languages' || path[0] === 'links') return path[0];
    return path.join('.');
  };
  const lineOf = (pointer: string) => {
    const match = /^#\/links\/(\d+)(\/|$)/.exec(pointer);
    return match ? linkLines[Number(match[1])] ?? null : null;
  };
  return { body, errors, fieldOf, lineOf };
}

// ---------------------------------------------------------------------------------------------
// Checking a body against the API's schemas

const ajv = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: false, coerceTypes: false, strict: false });
addFormats.default(ajv);
const validators = new Map<TSchema, ReturnType<typeof ajv.compile>>();

/** A field error in the reader's language, for the form field it concerns. */
export interface FormError {
  field: string;
  message: string;
}

/** Checks a body against the schema the API validates the same write with. */
export function checkBody(kind: FormKind, mode: FormMode, body: Record<string, unknown>): ErrorObject[] {
  return checkAgainst(SCHEMAS[kind][mode], body);
}

/** Checks a value against one of the API's schemas: forms refuse what the API would. */
export function checkAgainst(schema: TSchema, body: unknown): ErrorObject[] {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate(body) ? [] : [...(validate.errors ?? [])];
}

export function schemaMessage(locale: Language, error: ErrorObject): { pointer: string; message: string } {
  const params = error.params as Record<string, unknown>;
  let pointer = error.instancePath;
  let key = 'admin.error.invalid';
  let values: Record<string, unknown> = {};
  switch (error.keyword) {
    case 'required':
      pointer += `/${String(params.missingProperty)}`;
      key = 'admin.error.required';
      break;
    case 'minLength':
    case 'minProperties':
    case 'minItems':
      key = 'admin.error.required';
      break;
    case 'maxLength':
      key = 'admin.error.tooLong';
      values = { max: params.limit };
      break;
    case 'pattern':
    case 'format':
      key = 'admin.error.format';
      break;
    case 'enum':
    case 'const':
    case 'anyOf':
      key = 'admin.error.choice';
      break;
    case 'type':
      key = params.type === 'integer' || params.type === 'number' ? 'admin.error.number' : 'admin.error.invalid';
      break;
    case 'minimum':
    case 'maximum':
      key = 'admin.error.number';
      break;
    case 'uniqueItems':
      key = 'admin.error.duplicate';
      break;
    case 'maxItems':
      key = 'admin.error.tooMany';
      values = { max: params.limit };
      break;
  }
  if (pointer === '/email' && error.keyword === 'pattern') key = 'admin.error.email';
  if (pointer === '/language' && error.keyword === 'pattern') key = 'admin.error.languageTags';
  if (/^\/links\/\d+\/url$/.test(pointer) && (error.keyword === 'pattern' || error.keyword === 'format')) key = 'admin.error.linkUrl';
  if (/^\/links\/\d+\/title$/.test(pointer) && error.keyword === 'minLength') key = 'admin.error.linkTitle';
  // A password too short is refused by its own rule, with its own words.
  if (pointer === '/password' && (error.keyword === 'minLength' || error.keyword === 'maxLength')) {
    key = 'admin.error.password';
    values = { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH };
  }
  return { pointer: `#${pointer}`, message: translate(locale, key, values) };
}

/** What the services say, in the reader's language: each known rule has its own sentence. */
const SERVICE_MESSAGES: [RegExp, string][] = [
  [/^is required: (\w{2}) is the event's default language$/, 'admin.error.defaultLanguageText'],
  [/^is required with (start|end)$/, 'admin.error.bothTimes'],
  [/^is required$/, 'admin.error.required'],
  [/^must be after the start$/, 'admin.error.endAfterStart'],
  [/^this event has no /, 'admin.error.unknown'],
  [/^give either a time slot/, 'admin.error.slotOrTimes'],
  [/does not exist in .* \(clock change\)$/, 'admin.error.clockChange'],
  [/is not a valid (local )?date and time$/, 'admin.error.dateTime'],
  [/is not an IANA time zone$/, 'admin.error.timezone'],
  [/^must be one of the event's languages$/, 'admin.error.defaultLanguage'],
  [/^is not a date$/, 'admin.error.date'],
  [/^must not be before the start date$/, 'admin.error.endDate'],
  [/^is listed twice$/, 'admin.error.listedTwice'],
  [/^needs a person, an organisation, or both$/, 'admin.error.contributorEmpty'],
  [/^is not an e-mail address$/, 'admin.error.email'],
  [/^must be 1 to 200 characters long$/, 'admin.error.name'],
  [/^applies to organisers only/, 'admin.error.rapporteurEvent'],
  [/^there is no account /, 'admin.error.unknown'],
  [/ is not a rapporteur$/, 'admin.error.notRapporteur'],
  [/password/i, 'admin.error.password'],
];

export function serviceMessage(locale: Language, detail: string): string {
  for (const [pattern, key] of SERVICE_MESSAGES) {
    const match = pattern.exec(detail);
    if (!match) continue;
    if (key === 'admin.error.defaultLanguageText') return translate(locale, key, { language: translate(locale, `language.${match[1]}`) });
    return translate(locale, key, { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH });
  }
  return translate(locale, 'admin.error.invalid');
}

/** Errors by form field, the first one of each field only. */
export function formErrors(locale: Language, result: Pick<BodyResult, 'fieldOf' | 'lineOf'>, service: FieldError[], schema: ErrorObject[] = []): Map<string, string> {
  const errors = new Map<string, string>();
  const add = (pointer: string, message: string) => {
    const field = result.fieldOf(pointer);
    // A field of several lines says which line is wrong.
    const line = result.lineOf?.(pointer) ?? null;
    if (!errors.has(field)) errors.set(field, line === null ? message : translate(locale, 'admin.error.onLine', { line, message }));
  };
  for (const e of service) add(e.pointer, serviceMessage(locale, e.detail));
  for (const e of schema) {
    const { pointer, message } = schemaMessage(locale, e);
    add(pointer, message);
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// From an entity (as the API represents it) back to form fields

/** "2019-11-12T09:00:00+02:00" → "2019-11-12T09:00": answers carry the event's own offset, so this is its local time. */
const localTime = (value: unknown) => (typeof value === 'string' ? value.slice(0, 16) : '');

export function fromEntity(kind: FormKind, entity: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const field of FORMS[kind]) {
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
      case 'password':
        values[field.name] = '';
        break;
      default:
        values[field.name] = value === null || value === undefined ? '' : String(value);
    }
  }
  if (typeof entity.version === 'number') values.version = String(entity.version);
  return values;
}

// ---------------------------------------------------------------------------------------------
// The view of a form, for views/partials/admin-field.hbs

export interface Option {
  value: string;
  label: string;
  /** The language of the label, when it is content text in another language than the page. */
  lang?: string | undefined;
}

export interface FormViewOptions {
  locale: Language;
  values: FormValues;
  errors?: Map<string, string>;
  /** The saved values, after a stale save: shown beside each field whose typed value differs. */
  current?: FormValues | null;
  /** Choices of the select and checkbox fields, by list name. */
  options?: Record<string, Option[]>;
  /** The event's languages: only these are marked when their translation is missing. */
  languages?: readonly Language[];
  /** The event's default language, which every content field needs. */
  defaultLanguage?: Language;
  /** Fields left out of this form. */
  omit?: string[];
}

const fieldId = (name: string) => `f-${name.replace(/\./g, '-')}`;

function contributorRowCount(values: FormValues): number {
  let last = -1;
  for (const name of Object.keys(values)) {
    const match = /^contributors\.(\d+)\./.exec(name);
    if (match && values[name] !== '' && (name.endsWith('.person') || name.endsWith('.organisation'))) last = Math.max(last, Number(match[1]));
  }
  return last + 1;
}

function contributorsOf(values: FormValues): string[] {
  const rows: string[] = [];
  for (let i = 0; i < MAX_CONTRIBUTOR_ROWS; i += 1) {
    const person = single(values, `contributors.${i}.person`) ?? '';
    const organisation = single(values, `contributors.${i}.organisation`) ?? '';
    if (person === '' && organisation === '') continue;
    rows.push([single(values, `contributors.${i}.role`) ?? 'speaker', person, organisation].join('|'));
  }
  return rows;
}

/**
 * The fields of a form as the templates render them, and the error summary. Every control
 * gets an id and a label; hints, errors, missing-translation markers and saved values are
 * tied to it with aria-describedby.
 */
export function formView(kind: FormKind, o: FormViewOptions) {
  const { locale, values } = o;
  const errors = o.errors ?? new Map<string, string>();
  const t = (key: string, params?: Record<string, unknown>) => translate(locale, key, params);
  const languages = o.languages ?? LANGUAGES;
  const summary: { href: string; text: string }[] = [];
  const seenErrors = new Set<string>();
  const error = (name: string, label: string, id: string) => {
    const message = errors.get(name);
    if (message !== undefined && !seenErrors.has(name)) {
      seenErrors.add(name);
      summary.push({ href: `#${id}`, text: t('admin.errors.item', { field: label, message }) });
    }
    return message;
  };
  const describedBy = (...ids: (string | false | null | undefined)[]) => ids.filter(Boolean).join(' ') || null;
  const optionsOf = (field: FieldDef) => o.options?.[field.options ?? ''] ?? [];
  const labelOf = (field: FieldDef, value: string) => {
    if (value === '') return t(field.nullable ? field.noneLabel ?? 'admin.form.none' : 'admin.stale.empty');
    return optionsOf(field).find((opt) => opt.value === value)?.label ?? value;
  };
  const differs = (name: string) => o.current != null && (single(values, name) ?? '') !== (single(o.current, name) ?? '');
  const shown = (value: string) => (value === '' ? t('admin.stale.empty') : value);

  const fields = FORMS[kind].filter((f) => !o.omit?.includes(f.name)).map((field) => {
    const label = t(field.label);
    const id = fieldId(field.name);
    const hint = field.hint ? t(field.hint) : null;
    const hintId = hint ? `${id}-hint` : null;
    const compare = o.current != null && field.compare !== false;
    switch (field.type) {
      case 'localized': {
        const filled = LANGUAGES.filter((lang) => (single(values, `${field.name}.${lang}`) ?? '').trim() !== '');
        const groupError = error(field.name, label, fieldId(`${field.name}.${o.defaultLanguage ?? languages[0] ?? 'fr'}`));
        const inputs = LANGUAGES.map((lang) => {
          const name = `${field.name}.${lang}`;
          const inputId = fieldId(name);
          const value = single(values, name) ?? '';
          // Only the event's languages are expected; the marker is in the label, and scripts keep it up to date as one types.
          const tracked = languages.includes(lang);
          const missing = tracked && value.trim() === '' && filled.length > 0;
          const inputError = error(name, t('admin.form.fieldInLanguage', { field: label, language: t(`language.${lang}`) }), inputId);
          const current = compare && differs(name) ? shown(single(o.current!, name) ?? '') : null;
          return {
            code: lang, name, id: inputId, value, languageName: t(`language.${lang}`), tracked, missing, error: inputError ?? null,
            current,
            describedBy: describedBy(hintId, groupError !== undefined && `${id}-error`, inputError !== undefined && `${inputId}-error`, current !== null && `${inputId}-current`),
          };
        });
        return { type: 'localized', id, label, hint, hintId, required: field.required ?? false, multiline: field.multiline ?? false, maxLength: field.maxLength, error: groupError ?? null, inputs };
      }
      case 'select': {
        const value = single(values, field.name) ?? '';
        const options = [
          ...(field.nullable || value === '' ? [{ value: '', label: t(field.nullable ? field.noneLabel ?? 'admin.form.none' : 'admin.form.choose') }] : []),
          ...optionsOf(field),
        ].map((opt) => ({ ...opt, code: (opt as Option).lang ?? null, selected: opt.value === value }));
        const fieldError = error(field.name, label, id);
        const current = compare && differs(field.name) ? labelOf(field, single(o.current!, field.name) ?? '') : null;
        return {
          type: 'select', id, name: field.name, label, hint, hintId, required: field.required ?? false, options, error: fieldError ?? null, current,
          describedBy: describedBy(hintId, fieldError !== undefined && `${id}-error`, current !== null && `${id}-current`),
        };
      }
      case 'checkboxes': {
        const list = values[field.name];
        const checked = new Set(Array.isArray(list) ? list : list === undefined ? [] : [list]);
        const options = optionsOf(field).map((opt) => ({ ...opt, code: opt.lang ?? null, id: `${id}-${opt.value}`, checked: checked.has(opt.value) }));
        const fieldError = error(field.name, label, options[0]?.id ?? id);
        let current: string | null = null;
        if (compare) {
          const saved = o.current![field.name];
          const savedList = Array.isArray(saved) ? saved : saved === undefined ? [] : [saved];
          if ([...checked].sort().join('|') !== [...savedList].sort().join('|')) {
            current = savedList.length === 0 ? t('admin.stale.empty') : savedList.map((v) => labelOf(field, v)).join(' · ');
          }
        }
        return {
          type: 'checkboxes', id, name: field.name, label, hint, hintId, required: field.required ?? false, options, error: fieldError ?? null, current,
          describedBy: describedBy(hintId, fieldError !== undefined && `${id}-error`, current !== null && `${id}-current`),
        };
      }
      case 'contributors': {
        const count = contributorRowCount(values) + EMPTY_CONTRIBUTOR_ROWS;
        const people = o.options?.people ?? [];
        const organisations = o.options?.organisations ?? [];
        const roles = o.options?.roles ?? [];
        const groupError = error(field.name, label, id);
        const rows = Array.from({ length: count }, (_, i) => {
          const legend = t('admin.contributors.row', { number: i + 1 });
          const rowError = error(`contributors.${i}`, legend, fieldId(`contributors.${i}.person`));
          const selects = (['role', 'person', 'organisation'] as const).map((part) => {
            const name = `contributors.${i}.${part}`;
            const selectId = fieldId(name);
            const value = single(values, name) ?? (part === 'role' ? 'speaker' : '');
            const choices = part === 'role' ? roles : [{ value: '', label: t('admin.form.none') }, ...(part === 'person' ? people : organisations)];
            const partLabel = t(`admin.contributors.${part}`);
            const partError = error(name, `${legend} – ${partLabel}`, selectId);
            return {
              id: selectId, name, label: partLabel, error: partError ?? null,
              options: choices.map((opt) => ({ ...opt, code: (opt as Option).lang ?? null, selected: opt.value === value })),
              describedBy: describedBy(partError !== undefined && `${selectId}-error`, rowError !== undefined && `${fieldId(`contributors.${i}`)}-error`),
            };
          });
          return { index: i, legend, selects, error: rowError ?? null, errorId: `${fieldId(`contributors.${i}`)}-error` };
        });
        let current: string[] | null = null;
        if (compare && contributorsOf(values).join('\n') !== contributorsOf(o.current!).join('\n')) {
          const name = (list: Option[], value: string) => list.find((opt) => opt.value === value)?.label ?? value;
          current = contributorsOf(o.current!).map((row) => {
            const [role, person, organisation] = row.split('|') as [string, string, string];
            const who = [person && name(people, person), organisation && name(organisations, organisation)].filter(Boolean).join(', ');
            return t('admin.contributors.summary', { role: name(roles, role), who });
          });
          if (current.length === 0) current = [t('admin.stale.empty')];
        }
        return {
          type: 'contributors', id, label, hint, hintId, error: groupError ?? null, rows, nextIndex: count, current,
          describedBy: describedBy(hintId, groupError !== undefined && `${id}-error`, current !== null && `${id}-current`),
        };
      }
      case 'links': {
        const value = single(values, field.name) ?? '';
        const fieldError = error(field.name, label, id);
        const lines = (text: string) => parseLinks(text).map((link) => [link.url, link.title].filter(Boolean).join(' '));
        let current: string[] | null = null;
        if (compare && lines(value).join('\n') !== lines(single(o.current!, field.name) ?? '').join('\n')) {
          current = lines(single(o.current!, field.name) ?? '');
          if (current.length === 0) current = [t('admin.stale.empty')];
        }
        return {
          type: 'links', id, name: field.name, label, hint, hintId, value, rows: Math.max(3, value.split('\n').length + 1),
          error: fieldError ?? null, current,
          describedBy: describedBy(hintId, fieldError !== undefined && `${id}-error`, current !== null && `${id}-current`),
        };
      }
      default: {
        const value = field.type === 'password' ? '' : single(values, field.name) ?? '';
        const fieldError = error(field.name, label, id);
        const current = compare && field.type !== 'password' && differs(field.name) ? shown(single(o.current!, field.name) ?? '') : null;
        const inputType = { text: 'text', number: 'number', date: 'date', datetime: 'datetime-local', email: 'email', password: 'password' }[field.type as string] ?? 'text';
        return {
          type: 'input', inputType, id, name: field.name, label, hint, hintId, value, required: field.required ?? false,
          maxLength: field.maxLength ?? null, autocomplete: field.autocomplete ?? null, error: fieldError ?? null, current,
          describedBy: describedBy(hintId, fieldError !== undefined && `${id}-error`, current !== null && `${id}-current`),
        };
      }
    }
  });
  // Errors of fields this form does not show (a rule across fields) still reach the summary.
  for (const [name, message] of errors) {
    if (!seenErrors.has(name)) summary.push({ href: `#${fieldId(name.split('.')[0]!)}`, text: message });
  }
  return { fields, errorSummary: summary };
}

/** The choices that do not depend on the event: kinds, statuses, roles, languages. */
export function fixedOptions(locale: Language): Record<string, Option[]> {
  return {
    kinds: SESSION_KINDS.map((kind) => ({ value: kind, label: translate(locale, `kind.${kind}`) })),
    statuses: SESSION_STATUSES.map((status) => ({ value: status, label: translate(locale, `admin.status.${status}`) })),
    roles: CONTRIBUTOR_ROLES.map((role) => ({ value: role, label: translate(locale, `admin.role.${role}`) })),
    languages: LANGUAGES.map((lang) => ({ value: lang, label: translate(lang, `language.${lang}`), lang })),
    userRoles: USER_ROLES.map((role) => ({ value: role, label: translate(locale, `admin.userRole.${role}`) })),
  };
}
