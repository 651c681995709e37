// Domain errors: thrown by services, turned into an HTTP answer in one place (plugins/errors.ts).

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    /** i18n key of the title shown to the visitor. */
    readonly titleKey: string,
    message: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends HttpError {
  override name = 'NotFoundError';
  constructor(readonly entity: string, readonly key: string) {
    super(404, 'errors.notFound.title', `No ${entity} "${key}"`);
  }
}

export class BadRequestError extends HttpError {
  override name = 'BadRequestError';
  constructor(message: string) {
    super(400, 'errors.badRequest.title', message);
  }
}

export class ForbiddenError extends HttpError {
  override name = 'ForbiddenError';
  constructor(message: string) {
    super(403, 'errors.forbidden.title', message);
  }
}
