// Domain errors: thrown by services, turned into an HTTP answer in one place (plugins/errors.ts).
// Under /api they become RFC 9457 problem details: `problem` names the problem type
// (documented at /api/docs#problem-<name>) and `extensions` become extra members.

/** One field at fault, as a JSON pointer into the request body ("#/end"). */
export interface FieldError {
  pointer: string;
  detail: string;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    /** i18n key of the title shown to the visitor. */
    readonly titleKey: string,
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
  constructor(readonly errors: FieldError[], message = errors.map((e) => `${e.pointer.slice(2) || 'body'}: ${e.detail}`).join('; ')) {
    super(422, 'errors.unprocessable.title', message, 'validation', { errors });
  }
}

export class TooManyRequestsError extends HttpError {
  override name = 'TooManyRequestsError';
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'errors.tooMany.title', message, 'too-many-requests', {}, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}
