import type { FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { LANGUAGES, type Language } from '../db/schema.ts';
import { chooseLocale, isLanguage } from './index.ts';

/** Remembers a language chosen with ?lang= so that the next pages keep it. */
export const LANGUAGE_COOKIE = 'lang';

/** The best of our languages for the browser's Accept-Language header, if any matches. */
function acceptedLanguage(request: FastifyRequest): Language | undefined {
  if (!request.headers['accept-language']) return undefined;
  const best = new Negotiator(request).language([...LANGUAGES]);
  return isLanguage(best) ? best : undefined;
}

/**
 * The reader's language: ?lang=, else the language chosen earlier (cookie), else
 * Accept-Language, else the event's default. Reads the raw query so that error pages,
 * rendered before validation, also get it right.
 */
export function requestLocale(request: FastifyRequest, eventDefault?: Language): Language {
  const query = request.query as Record<string, unknown> | undefined;
  const lang = query?.lang;
  const remembered = request.cookies?.[LANGUAGE_COOKIE];
  return chooseLocale({
    query: isLanguage(lang) ? lang : isLanguage(remembered) ? remembered : undefined,
    acceptLanguage: acceptedLanguage(request),
    eventDefault,
  });
}

/**
 * Remembers, for a year, a language chosen with ?lang= that the reader would not get without it
 * (their browser asks for another, or they chose another before); pages vary on it. A ?lang=
 * that names the language the reader gets anyway sets no cookie, so that the page stays the
 * same for every such reader and any cache may share it. (The event's own default is not known
 * here: the site's stands for it.)
 */
export function rememberLanguage(request: FastifyRequest, reply: FastifyReply): void {
  const query = request.query as Record<string, unknown> | undefined;
  const lang = query?.lang;
  const remembered = request.cookies?.[LANGUAGE_COOKIE];
  if (isLanguage(lang) && remembered !== lang) {
    const otherwise = chooseLocale({ query: isLanguage(remembered) ? remembered : undefined, acceptLanguage: acceptedLanguage(request) });
    if (otherwise !== lang || remembered !== undefined) {
      // Secure when the site is served over https, as the session cookie is: sent in clear, it
      // would tell an eavesdropper the reader's language and let a forged one follow them.
      const secure = request.server.authOptions?.secureCookies === true;
      reply.setCookie(LANGUAGE_COOKIE, lang, { path: '/', sameSite: 'lax', httpOnly: true, secure, maxAge: 365 * 24 * 3600 });
    }
  }
  reply.header('Vary', 'Accept-Language, Cookie');
}
