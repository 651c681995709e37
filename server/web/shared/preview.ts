// Organisers can read the public pages as they will be after the next release. The preview
// is a cookie the organiser turns on and off; it counts only for events they organise, so
// participants (and an organiser of another event) always get the released programme. This
// file only decides which view applies; the programme itself comes from the one reader.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { organises } from '../../domains/accounts/permissions.ts';
import type { Programme } from '../../domains/programme/assemble.ts';
import { findEventBySlug } from '../../domains/programme/repository.ts';
import { readProgramme } from '../../domains/releases/reader.ts';
import { csrfToken, currentUser, SESSION_COOKIE } from './auth.ts';

export const PREVIEW_COOKIE = 'forum_preview';

export function setPreviewCookie(reply: FastifyReply, on: boolean, secure: boolean): void {
  const options = { path: '/', httpOnly: true, sameSite: 'lax', secure } as const;
  if (on) reply.setCookie(PREVIEW_COOKIE, '1', options);
  else reply.clearCookie(PREVIEW_COOKIE, options);
}

/** What the layout's banner needs: where the "leave the preview" form goes. */
export interface PreviewBanner {
  slug: string;
  action: string;
  csrfToken: string;
}

/**
 * The programme a public page shows: the latest release, or, for an organiser of the event
 * who turned the preview on, the working copy, with a banner saying so. Preview pages are
 * never cached anywhere.
 */
export function readerProgramme(request: FastifyRequest, reply: FastifyReply, slug: string): { programme: Programme; preview: boolean } {
  if (request.cookies[PREVIEW_COOKIE] === '1' && request.cookies[SESSION_COOKIE]) {
    const user = currentUser(request);
    const event = user ? findEventBySlug(request.server.db, slug) : null;
    if (user && event && organises(user, event.id)) {
      const locals = (reply as FastifyReply & { locals?: Record<string, unknown> }).locals;
      if (locals) {
        const banner: PreviewBanner = { slug: event.slug, action: `/admin/events/${encodeURIComponent(event.slug)}/preview`, csrfToken: csrfToken(reply) };
        locals.preview = banner;
      }
      reply.header('Cache-Control', 'private, no-store').header('X-Robots-Tag', 'noindex');
      return { programme: readProgramme(request.server.db, { id: event.id }, 'working'), preview: true };
    }
  }
  return { programme: readProgramme(request.server.db, { slug: slug }, 'released'), preview: false };
}
