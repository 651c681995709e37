// Every string a request brings (its address's parameters, its query string, its body: JSON,
// forms, imports) is well-formed Unicode without control characters, or the request is refused
// with a 422 naming the field, before any schema or handler sees it. One hook for every route:
// a route added tomorrow is checked without knowing it. Outgoing pages are cleaned here too,
// since what was stored before this check (or written straight into the database) never passed it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { UnprocessableError, type FieldError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { findTextFaults, wellFormedJsonText, wellFormedText } from '../../unicode.ts';
import { fieldErrorMessage } from './forms/check.ts';

type Part = 'params' | 'query' | 'body';

/** How the API's sentence names each part of a request, as the schema errors do. */
const PART_NAMES: Record<Part, string> = { params: 'address', query: 'query string', body: 'request body' };

/** The field errors of a request's text, and the one sentence that lists them. */
export class IllFormedTextError extends UnprocessableError {
  override name = 'IllFormedTextError';
  constructor(part: Part, errors: FieldError[], sentence: string | null) {
    super(errors);
    // The body's errors read as every other field error; the address and the query string say which they are.
    if (sentence !== null) this.message = sentence;
    else if (part !== 'body') this.message = `The ${PART_NAMES[part]} is not valid: ${this.message}`;
  }
}

/** The first part of the request with faulty text, and its faults. */
export function requestTextFaults(request: Pick<FastifyRequest, 'params' | 'query' | 'body'>): { part: Part; errors: FieldError[] } | null {
  for (const part of ['params', 'query', 'body'] as const) {
    const errors = findTextFaults(request[part]);
    if (errors.length > 0) return { part, errors };
  }
  return null;
}

/** For people (a form, a page's address): the fields in the reader's language, as the forms word them. */
function pageSentence(request: FastifyRequest, errors: FieldError[]): string {
  const locale = requestLocale(request);
  const colon = translate(locale, 'punctuation.colon');
  return errors.map((e) => `${e.pointer.slice(2) || '—'}${colon}${fieldErrorMessage(locale, e)}`).join(' ');
}

/** Pages whose text needs cleaning: a cheap test first, since nearly none do. */
const CONTROL_OR_SURROGATE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uD800-\uDFFF]/;

async function wellFormedPlugin(app: FastifyInstance) {
  // preValidation: after the body is parsed, before the schemas (and every route's own hooks) run.
  app.addHook('preValidation', async (request) => {
    const found = requestTextFaults(request);
    if (!found) return;
    const api = request.url.startsWith('/api/');
    throw new IllFormedTextError(found.part, found.errors, api ? null : pageSentence(request, found.errors));
  });

  // HTML carries neither control characters (a parse error) nor lone surrogates (not UTF-8 at
  // all); the API's JSON would carry them escaped ("\ud800"), which strict parsers refuse, and a
  // client that sends back what it read would get a 422. Registered before the public cache,
  // so that what it keeps is already clean.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (typeof payload !== 'string') return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) return CONTROL_OR_SURROGATE.test(payload) ? wellFormedText(payload) : payload;
    if (!/^application\/(?:[\w.-]+\+)?json/.test(type)) return payload;
    try {
      return wellFormedJsonText(payload, /^[[{]\n( +)/.exec(payload)?.[1]!.length ?? 0);
    } catch {
      // Not JSON after all (a route's own text): sent as it is.
      return payload;
    }
  });
}

export default fp(wellFormedPlugin, { name: 'well-formed' });
