// Domain errors: thrown by services, turned into an HTTP answer in one place (plugins/errors.ts).
// Under /api they become RFC 9457 problem details: `problem` names the problem type
// (documented at /api/docs#problem-<name>) and `extensions` become extra members.
import type { Language } from './db/schema.ts';
import type { MessageKey } from './i18n/index.ts';

/**
 * What can be wrong with one field, by code, with the API's English wording of each. The API's
 * problem documents show the wording; the forms translate the code (with its params) into the
 * reader's language, so rewording a sentence here never breaks a translation.
 */
// A long list of ids is cut short in the sentence; the error's params carry them all.
const listed = (ids: string[]) => (ids.length > 10 ? `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more` : ids.join(', '));

export const FIELD_ERRORS = {
  required: () => 'is required',
  blank: () => 'must not be blank',
  'default-language': (p: { language: Language }) => `is required: ${p.language} is the event's default language`,
  'language-not-listed': () => 'must be one of the event\'s languages',
  'unknown-timezone': (p: { value: string }) => `"${p.value}" is not an IANA time zone`,
  'invalid-date': (p: { value?: string }) => (p.value === undefined ? 'is not a date' : `${p.value} is not a date`),
  'end-date-before-start': () => 'must not be before the start date',
  'invalid-datetime': (p: { value: string }) => `"${p.value}" is not a valid date and time`,
  'invalid-local-datetime': (p: { value: string }) => `"${p.value}" is not a valid local date and time`,
  'clock-change': (p: { value: string; zone: string }) => `"${p.value}" does not exist in ${p.zone} (clock change)`,
  'ambiguous-time': (p: { value: string; zone: string; earlier: string; later: string }) =>
    `"${p.value}" happens twice in ${p.zone} (the clocks go back): give its offset, "${p.earlier}" or "${p.later}"`,
  'date-out-of-range': (p: { value: string; first: string; last: string }) => `${p.value} is not between ${p.first} and ${p.last}`,
  'event-too-long': (p: { days: number; max: number }) => `makes the event last ${p.days} days; it may last ${p.max} at most`,
  'outside-event-days': (p: { value: string; startDate: string; endDate: string; lateEnd: string }) =>
    `${p.value} is outside the event's days (${p.startDate} to ${p.endDate}; a late evening may end by ${p.lateEnd})`,
  'items-outside-dates': (p: { sessions: string[]; slots: string[]; parts: string[] }) =>
    `would leave outside the event's days ${[
      p.sessions.length > 0 ? `the sessions ${listed(p.sessions)}` : '', p.slots.length > 0 ? `the time slots ${listed(p.slots)}` : '',
      p.parts.length > 0 ? `the hours of the parts ${listed(p.parts)}` : '',
    ].filter((s) => s !== '').join(', ')}: move them first`,
  'end-before-start': () => 'must be after the start',
  'times-together': (p: { other: 'start' | 'end' }) => `is required with ${p.other}`,
  'slot-or-times': () => 'give either a time slot, or a start and an end, not both',
  'unknown-reference': (p: { noun: string; id: string }) => `this event has no ${p.noun} ${p.id}`,
  'contributor-empty': () => 'needs a person, an organisation, or both',
  'listed-twice': () => 'is listed twice',
  email: () => 'is not an e-mail address',
  'name-length': () => 'must be 1 to 200 characters long',
  'password-too-short': (p: { min: number }) => `must be at least ${p.min} characters long`,
  'password-too-long': (p: { max: number }) => `must be at most ${p.max} characters long`,
  'wrong-password': () => 'is not your current password',
  'rapporteur-event': () => 'applies to organisers only: a rapporteur reports on the sessions assigned to them',
  'unknown-account': (p: { id: string }) => `there is no account ${p.id}`,
  'not-rapporteur': (p: { name: string }) => `${p.name} is not a rapporteur`,
  'unknown-output': (p: { id: string }) => `${p.id} is not an expected output of this event`,
  'empty-key-point': () => 'a key point is empty',
  'summary-required': () => 'write a summary before submitting',
  'recommendation-untied': () => 'tie each recommendation to at least one expected output before submitting',
  'recommendation-text': () => 'write the recommendation, or untick its outputs',
  'follow-up-action': () => 'say what is to be done',
  'return-comment': () => 'say why the conclusions are sent back',
  'webhook-url': (p: { reason: string }) => `cannot receive webhooks: ${p.reason}`,
  'webhook-kinds': (p: { kinds: string }) => `must name at least one of ${p.kinds}`,
  /** Any string of any request (server/unicode.ts): no writer of bytes could carry it as it is. */
  'lone-surrogate': () => 'holds half of a UTF-16 surrogate pair alone, which is not Unicode text',
  'control-character': (p: { character: string }) => `holds the control character ${p.character}, which text may not carry (TAB, LF and CR excepted)`,
  /** A schema's own finding (ajv's words), for the API's checks of a request. */
  schema: (p: { message: string }) => p.message,
} satisfies Record<string, (params: never) => string>;

export type FieldErrorCode = keyof typeof FIELD_ERRORS;
type ParamsOf<C extends FieldErrorCode> = Parameters<(typeof FIELD_ERRORS)[C]> extends [infer P] ? P : undefined;

/** One field at fault: a JSON pointer into the request body ("#/end"), what is wrong, and the values that say how. */
export type FieldError = {
  [C in FieldErrorCode]: ParamsOf<C> extends undefined
    ? { pointer: string; code: C; params?: undefined }
    : {} extends ParamsOf<C> ? { pointer: string; code: C; params?: ParamsOf<C> } : { pointer: string; code: C; params: ParamsOf<C> }
}[FieldErrorCode];

/** A field error in the API's words. */
export function fieldErrorDetail(error: FieldError): string {
  return (FIELD_ERRORS[error.code] as (params: unknown) => string)(error.params ?? {});
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    /** i18n key of the title shown to the visitor. */
    readonly titleKey: MessageKey,
    message: string,
    /** The problem type's name; absent means the generic type of the status. */
    readonly problem?: string,
    /** Extra members of the problem document (field errors, the current state…). */
    readonly extensions: Record<string, unknown> = {},
    /** Headers the answer must carry (Retry-After, WWW-Authenticate). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class NotFoundError extends HttpError {
  override name = 'NotFoundError';
  constructor(readonly entity: string, readonly key: string) {
    super(404, 'errors.notFound.title', `No ${entity} "${key}"`, 'not-found');
  }
}

export class BadRequestError extends HttpError {
  override name = 'BadRequestError';
  constructor(message: string) {
    super(400, 'errors.badRequest.title', message);
  }
}

/** Nobody is signed in (or the token is wrong): the client should authenticate. */
export class UnauthorizedError extends HttpError {
  override name = 'UnauthorizedError';
  constructor(message = 'Sign in, or send an API token as "Authorization: Bearer …"') {
    super(401, 'errors.unauthorized.title', message, 'unauthorized', {}, { 'WWW-Authenticate': 'Bearer realm="forum-programme"' });
  }
}

export class ForbiddenError extends HttpError {
  override name = 'ForbiddenError';
  constructor(message: string) {
    super(403, 'errors.forbidden.title', message, 'forbidden');
  }
}

/** The write started from a version that is no longer current; `current` is what is there now. */
export class StaleVersionError extends HttpError {
  override name = 'StaleVersionError';
  constructor(entity: string, current: { version: number } & Record<string, unknown>) {
    super(409, 'errors.conflict.title',
      `This ${entity} was changed by someone else since you read it (it is now at version ${current.version}). Nothing was saved: start again from the current state.`,
      'stale-version', { current }, { ETag: `"${current.version}"` });
  }
}

/** The request is well-formed but cannot be done as things stand (an entity still in use…). */
export class ConflictError extends HttpError {
  override name = 'ConflictError';
  constructor(message: string, problem = 'conflict', extensions: Record<string, unknown> = {}) {
    super(409, 'errors.conflict.title', message, problem, extensions);
  }
}

/** A write that does not say which version it started from. */
export class PreconditionRequiredError extends HttpError {
  override name = 'PreconditionRequiredError';
  constructor(message = 'Send If-Match with the ETag of the version you started from (read it first with GET)') {
    super(428, 'errors.preconditionRequired.title', message, 'version-required');
  }
}

/** What was asked is impossible: an end before its start, a reference to something that does not exist. */
export class UnprocessableError extends HttpError {
  override name = 'UnprocessableError';
  constructor(readonly errors: FieldError[]) {
    const described = errors.map((e) => ({ pointer: e.pointer, detail: fieldErrorDetail(e) }));
    super(422, 'errors.unprocessable.title', described.map((e) => `${e.pointer.slice(2) || 'body'}: ${e.detail}`).join('; '), 'validation', { errors: described });
  }
}

export class TooManyRequestsError extends HttpError {
  override name = 'TooManyRequestsError';
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'errors.tooMany.title', message, 'too-many-requests', {}, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}
