// The fields of the HTML forms of the workspace: what each control is, labelled in the reader's
// language. A form's fields are made from a resource's descriptor (its types, limits and which
// are required, said once in the domain) with the workspace's words added (field()).
//
// Field names are the body's JSON pointers with dots: "title.fr" is #/title/fr,
// "contributors.2.person" is #/contributors/2/person, so an error of the service or of the
// schema lands on the field it names.
import type { TSchema } from 'typebox';
import type { FieldSpec, FieldSpecs } from '../../../domains/programme/resources/fields.ts';
import type { MessageKey } from '../../../i18n/index.ts';

/** A form's fields as sent: one string each, or several for checkbox groups. */
export type FormValues = Record<string, string | string[]>;

export type FormMode = 'create' | 'patch';

export type FieldType = 'text' | 'number' | 'date' | 'time' | 'datetime' | 'email' | 'password' | 'select' | 'localized' | 'checkboxes' | 'contributors' | 'links' | 'interpretation';

export interface FieldDef {
  /** The body's property. */
  name: string;
  type: FieldType;
  /** i18n keys. */
  label: MessageKey;
  hint?: MessageKey | undefined;
  required?: boolean | undefined;
  /** An empty field means null ("no value"); otherwise it is left out of the body. */
  nullable?: boolean | undefined;
  multiline?: boolean | undefined;
  maxLength?: number | undefined;
  /** The list of choices the page supplies, by name. */
  options?: string | undefined;
  /** Not compared with the saved value after a stale save (it has no saved value of its own). */
  compare?: false;
  /** i18n key of the empty choice of a nullable select. */
  noneLabel?: MessageKey | undefined;
  autocomplete?: string | undefined;
  /** Sent in capitals whatever was typed (a country code). */
  upperCase?: boolean | undefined;
  /** A position in an order: stored from 0, shown and typed from 1, as organisers count. */
  position?: boolean | undefined;
  /** An interpretation field whose empty value means "as the room's": a dash alone then says "none". */
  inherits?: boolean | undefined;
}

/** A form: its fields, in order, and the API's schemas it is checked against (forms refuse what the API would). */
export interface FormSpec {
  fields: FieldDef[];
  schemas: Record<FormMode, TSchema>;
  /** What the form's body needs beyond its fields' values (a session placed by times has no slot choice). */
  adjust?: (body: Record<string, unknown>, mode: FormMode) => void;
}

/** What the workspace adds to a descriptor's field: its words, and for choices and shapes of their own, the control. */
export interface FieldWords {
  label: MessageKey;
  hint?: MessageKey;
  /** The choices of a select or checkbox group, by the name of the list the page supplies. */
  options?: string;
  noneLabel?: MessageKey;
  /** For a custom field (a session's contributors, outputs, links): how it is shown. */
  control?: FieldType;
  required?: boolean;
}

function controlOf(spec: FieldSpec, words: FieldWords): FieldType {
  if (words.control) return words.control;
  switch (spec.type) {
    case 'localized': return 'localized';
    case 'text': return 'text';
    case 'enum': case 'reference': return 'select';
    case 'position': return 'number';
    case 'date': return 'date';
    case 'time': return 'datetime';
    case 'interpretation': return 'interpretation';
    case 'custom': throw new Error('a custom field needs its control');
  }
}

/** A form field for a descriptor's field: its type, limits and requiredness from the domain, its words from the workspace. */
export function field(specs: FieldSpecs, name: string, words: FieldWords): FieldDef {
  const spec = specs[name];
  if (!spec) throw new Error(`no field ${name}`);
  return {
    name,
    type: controlOf(spec, words),
    label: words.label,
    hint: words.hint,
    required: words.required ?? spec.required === true,
    nullable: spec.nullable === true,
    multiline: spec.type === 'localized' ? spec.multiline === true : undefined,
    maxLength: spec.type === 'localized' || spec.type === 'text' ? spec.max : undefined,
    options: words.options,
    noneLabel: words.noneLabel,
    position: spec.type === 'position' ? true : undefined,
    inherits: spec.type === 'interpretation' ? spec.emptyIsNull !== true : undefined,
  };
}

/** Contributor rows a form offers beyond the existing ones, for browsers without JavaScript. */
export const EMPTY_CONTRIBUTOR_ROWS = 3;
/** The most contributor rows read from a form (the schema allows 200 contributors). */
export const MAX_CONTRIBUTOR_ROWS = 200;

export const single = (values: FormValues, name: string): string | undefined => {
  const value = values[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Browsers send line breaks as CRLF; texts are kept with LF, so that saving a form unchanged changes nothing. */
export const clean = (value: string | undefined) => value?.replace(/\r\n?/g, '\n').trim();
