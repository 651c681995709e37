// The released programme for other sites: a web component and the public JSON it reads.
//
// GET /embed.js defines <forum-programme event="slug" lang="fr">, which any page may load from
// this site; it reads GET /events/:slug/embed.json, a compact programme in one language. Both
// may be read from any origin (CORS and Cross-Origin-Resource-Policy), and both are revalidated
// with a strong ETag. The JSON shows the latest release only: an organiser's preview of the
// working copy never reaches another site, and never changes what the JSON says.
import fs from 'node:fs';
import path from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { eventPath, inLanguage, sessionAddress } from '../../addresses.ts';
import { BoundedCache } from '../../cache.ts';
import type { Language } from '../../db/schema.ts';
import type { Programme, ProgrammeContributor, ProgrammeSession } from '../../domains/programme/assemble.ts';
import { readProgramme } from '../../domains/releases/reader.ts';
import { translate, type Localized } from '../../i18n/index.ts';
import { VIEWS_DIR } from '../../plugins/views.ts';
import { eventDateLocale, localClock, localDate, longDate, toZonedIso } from '../../time.ts';
import { wellFormedJsonText } from '../../unicode.ts';
import { notModified, strongEtag } from '../shared/conditional.ts';
import { dateRangeLabel, Presenter } from '../shared/presenter.ts';
import { EventParams, LangQuery } from '../shared/schemas.ts';

/** Part of the JSON and of every ETag: raise it when the JSON's shape changes, so that caches let go. */
export const EMBED_FORMAT = 1;

/** The element's script, as served. */
export const EMBED_SCRIPT = path.join(VIEWS_DIR, 'embed', 'embed.js');

/** A text as the JSON carries it; `lang` only when it is not the language asked for (a fallback). */
export interface EmbedText {
  text: string;
  lang?: Language;
}

export interface EmbedSpeaker {
  name: EmbedText;
  organisation: EmbedText | null;
  role: string;
  roleLabel: string;
}

export interface EmbedSession {
  id: string;
  kind: string;
  cancelled: boolean;
  /** ISO 8601 with the event's offset, and the event's local clock (HH:mm); null when not scheduled. */
  start: string | null;
  end: string | null;
  startTime: string | null;
  endTime: string | null;
  title: EmbedText;
  room: EmbedText | null;
  speakers: EmbedSpeaker[];
  /** The session's page on this site, in the language asked for. */
  url: string;
}

export interface EmbedProgramme {
  format: number;
  lang: Language;
  event: {
    slug: string;
    title: EmbedText;
    subtitle: EmbedText | null;
    startDate: string;
    endDate: string;
    dates: string;
    timezone: string;
    url: string;
    revision: number;
  };
  days: { date: string; label: string; sessions: EmbedSession[] }[];
  unscheduled: EmbedSession[];
}

/** The JSON, as text, kept by everything its bytes depend on (a release never changes once made). */
const rendered = new BoundedCache<string, { body: string; etag: string }>(200);

function embedText(value: Localized | null, locale: Language): EmbedText | null {
  if (!value) return null;
  return value.lang === locale ? { text: value.text } : { text: value.text, lang: value.lang };
}

/** The programme of a release as the element shows it: days of sessions, in one language. */
export function embedProgramme(programme: Programme, locale: Language, publicUrl: string): EmbedProgramme {
  const { event } = programme;
  const zone = event.timezone;
  const presenter = new Presenter(event, locale);
  const text = (value: Parameters<Presenter['text']>[0]) => embedText(presenter.text(value), locale);
  const speaker = (c: ProgrammeContributor): EmbedSpeaker => {
    const organisation = c.organisation ? embedText(presenter.orgName(c.organisation), locale) : null;
    return {
      name: c.person ? { text: c.person.name } : organisation!,
      organisation: c.person ? organisation : null,
      role: c.role,
      roleLabel: translate(locale, `role.${c.role}`),
    };
  };
  const session = (s: ProgrammeSession): EmbedSession => ({
    id: s.publicId,
    kind: s.row.kind,
    cancelled: s.row.status === 'cancelled',
    start: s.slot ? toZonedIso(s.slot.startsAt, zone) : null,
    end: s.slot ? toZonedIso(s.slot.endsAt, zone) : null,
    startTime: s.slot ? localClock(s.slot.startsAt, zone) : null,
    endTime: s.slot ? localClock(s.slot.endsAt, zone) : null,
    title: text(s.row.title) ?? { text: '—' },
    room: s.room ? text(s.room.name) : null,
    speakers: s.contributors.filter((c) => c.person || c.organisation).map(speaker),
    url: sessionAddress(publicUrl, event, locale, s.publicId),
  });

  const days: EmbedProgramme['days'] = [];
  for (const s of programme.sessions) {
    if (!s.slot) continue;
    const date = localDate(s.slot.startsAt, zone);
    let day = days.at(-1);
    if (!day || day.date !== date) {
      day = { date, label: longDate(date, eventDateLocale(locale, programme.event)), sessions: [] };
      days.push(day);
    }
    day.sessions.push(session(s));
  }
  return {
    format: EMBED_FORMAT,
    lang: locale,
    event: {
      slug: event.slug,
      title: text(event.title) ?? { text: event.slug },
      subtitle: text(event.subtitle),
      startDate: event.startDate,
      endDate: event.endDate,
      dates: dateRangeLabel(event.startDate, event.endDate, eventDateLocale(locale, event)),
      timezone: zone,
      url: `${publicUrl}${inLanguage(eventPath(event), locale, event)}`,
      revision: event.revision,
    },
    days,
    unscheduled: programme.sessions.filter((s) => !s.slot).map(session),
  };
}

/** Readable from any origin, by scripts (CORS) and as a resource (helmet's default would forbid it). */
function crossOrigin(reply: FastifyReply): FastifyReply {
  return reply
    .header('Access-Control-Allow-Origin', '*')
    .header('Access-Control-Expose-Headers', 'ETag, Last-Modified, Content-Language')
    .header('Cross-Origin-Resource-Policy', 'cross-origin');
}

export default async function embedRoutes(fastify: FastifyInstance, options: { publicUrl: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const script = fs.readFileSync(EMBED_SCRIPT);
  const scriptTag = strongEtag(script);

  // Every answer of these routes, errors included, may be read from any site.
  app.addHook('onRequest', async (_request, reply) => {
    crossOrigin(reply);
  });

  app.get('/embed.js', async (request, reply) => {
    // Site owners paste its address once: browsers keep it for an hour, then revalidate.
    reply.header('ETag', scriptTag).header('Cache-Control', 'public, max-age=3600');
    if (notModified(request.headers, scriptTag)) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(script);
  });

  // Its errors are problem+json, as the API's (errors plugin), so that the element on another
  // site can tell an unknown event from a network failure; the hook above gives them CORS too.
  app.get('/events/:slug/embed.json', { schema: { params: EventParams, querystring: LangQuery }, config: { problemJson: true } }, async (request, reply) => {
    // The latest release, whoever asks: never readerProgramme, which would give an organiser the preview.
    const programme = readProgramme(app.db, { slug: request.params.slug }, 'released');
    const { event } = programme;
    const locale = request.query.lang ?? event.defaultLanguage;
    // Everything the body depends on: the release (its event carries its sequence and time), the language, the address.
    const key = JSON.stringify([EMBED_FORMAT, options.publicUrl, event.publicId, event.revision, event.updatedAt.getTime(), locale]);
    const { body, etag } = rendered.getOrCompute(key, () => {
      // Lone surrogates as U+FFFD and control characters dropped, as in the other JSON exports.
      const text = wellFormedJsonText(JSON.stringify(embedProgramme(programme, locale, options.publicUrl)), 0);
      return { body: text, etag: strongEtag(text) };
    });
    reply
      .header('ETag', etag)
      .header('Last-Modified', event.updatedAt.toUTCString())
      // Any cache may keep it, but asks each time: a new release shows at once on every site.
      .header('Cache-Control', 'public, no-cache')
      .header('Content-Language', locale);
    if (notModified(request.headers, etag, event.updatedAt)) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(body);
  });
}
