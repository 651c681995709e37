// Checking a form: against the API's own schema for the same write (forms refuse what the API
// would), and the refusals of either, schema or domain, as messages beside their fields.
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { TSchema } from 'typebox';
import type { Language } from '../../../db/schema.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../domains/accounts/passwords.ts';
import { CHANNEL_MAX } from '../../../domains/programme/languages.ts';
import type { FieldError, FieldErrorCode } from '../../../errors.ts';
import { translate, type MessageKey } from '../../../i18n/index.ts';
import type { FormMode, FormSpec } from './fields.ts';
import type { BodyResult } from './read.ts';

const ajv = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: false, coerceTypes: false, strict: false });
addFormats.default(ajv);
const validators = new Map<TSchema, ReturnType<typeof ajv.compile>>();

/** Checks a body against the schema the API validates the same write with. */
export function checkBody(form: FormSpec, mode: FormMode, body: Record<string, unknown>): ErrorObject[] {
  return checkAgainst(form.schemas[mode], body);
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
  let key: MessageKey = 'admin.error.invalid';
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
  if (/^\/interpretation\/\d+\/language$/.test(pointer) && (error.keyword === 'pattern' || error.keyword === 'maxLength')) key = 'interpretation.error.language';
  if (/^\/interpretation\/\d+\/channel$/.test(pointer) && (error.keyword === 'maxLength' || error.keyword === 'pattern')) {
    key = 'interpretation.error.channel';
    values = { max: CHANNEL_MAX };
  }
  // A password too short is refused by its own rule, with its own words.
  if (pointer === '/password' && (error.keyword === 'minLength' || error.keyword === 'maxLength')) {
    key = 'admin.error.password';
    values = { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH };
  }
  return { pointer: `#${pointer}`, message: translate(locale, key, values) };
}

/**
 * What the domains' field errors say, in the reader's language: one sentence per code, so that
 * rewording the API's English never touches a translation. Typed: a new code needs its words.
 */
const FIELD_ERROR_MESSAGES: Record<FieldErrorCode, MessageKey> = {
  required: 'admin.error.required',
  blank: 'admin.error.required',
  'default-language': 'admin.error.defaultLanguageText',
  'language-not-listed': 'admin.error.defaultLanguage',
  'unknown-timezone': 'admin.error.timezone',
  'invalid-date': 'admin.error.date',
  'end-date-before-start': 'admin.error.endDate',
  'invalid-datetime': 'admin.error.dateTime',
  'invalid-local-datetime': 'admin.error.dateTime',
  'clock-change': 'admin.error.clockChange',
  'ambiguous-time': 'admin.error.ambiguousTime',
  'date-out-of-range': 'admin.error.dateRange',
  'event-too-long': 'admin.error.eventTooLong',
  'outside-event-days': 'admin.error.outsideEventDays',
  'items-outside-dates': 'admin.error.itemsOutsideDates',
  'end-before-start': 'admin.error.endAfterStart',
  'times-together': 'admin.error.bothTimes',
  'slot-or-times': 'admin.error.slotOrTimes',
  'unknown-reference': 'admin.error.unknown',
  'contributor-empty': 'admin.error.contributorEmpty',
  'listed-twice': 'admin.error.listedTwice',
  email: 'admin.error.email',
  'name-length': 'admin.error.name',
  'password-too-short': 'admin.error.password',
  'password-too-long': 'admin.error.password',
  'wrong-password': 'auth.error.wrongCurrent',
  'rapporteur-event': 'admin.error.rapporteurEvent',
  'unknown-account': 'admin.error.unknown',
  'not-rapporteur': 'admin.error.notRapporteur',
  'unknown-output': 'conclusions.error.unknownOutput',
  'empty-key-point': 'admin.error.invalid',
  'summary-required': 'conclusions.error.summary',
  'recommendation-untied': 'conclusions.error.untagged',
  'recommendation-text': 'conclusions.error.recommendationText',
  'follow-up-action': 'conclusions.error.action',
  'return-comment': 'conclusions.error.comment',
  'webhook-url': 'outbox.error.webhookUrl',
  'webhook-kinds': 'outbox.error.webhookKinds',
  'lone-surrogate': 'admin.error.loneSurrogate',
  'control-character': 'admin.error.controlCharacter',
  schema: 'admin.error.invalid',
};

/** A domain's field error in the reader's language; a front-end may word some codes its own way. */
export function fieldErrorMessage(locale: Language, error: FieldError, words: Partial<Record<FieldErrorCode, MessageKey>> = {}): string {
  const key = words[error.code] ?? FIELD_ERROR_MESSAGES[error.code];
  switch (error.code) {
    case 'default-language': return translate(locale, key, { language: translate(locale, `language.${error.params.language}`) });
    case 'password-too-short': case 'password-too-long': return translate(locale, key, { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH });
    case 'ambiguous-time': case 'date-out-of-range': case 'event-too-long': case 'webhook-url': return translate(locale, key, error.params);
    // A time in a sentence reads as the event's local clock: "2019-11-13 06:00".
    case 'outside-event-days': return translate(locale, key, { ...error.params, lateEnd: error.params.lateEnd.slice(0, 16).replace('T', ' ') });
    case 'items-outside-dates': return translate(locale, key, { count: error.params.sessions.length + error.params.slots.length + error.params.parts.length });
    default: return translate(locale, key);
  }
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
  for (const e of service) add(e.pointer, fieldErrorMessage(locale, e));
  for (const e of schema) {
    const { pointer, message } = schemaMessage(locale, e);
    add(pointer, message);
  }
  return errors;
}

