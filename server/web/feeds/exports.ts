// Public exports of a programme that other tools read: the frab/voc schedule (XML and JSON) for
// conference apps, and a CSV of the sessions for spreadsheets. Like the calendar feeds they
// show the latest release, answer polling with a 304 before writing anything, and may be
// read from any site; an organiser in preview mode gets the working copy, never cached.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import contentDisposition from 'content-disposition';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BoundedCache } from '../../cache.ts';
import { notModified, strongEtag } from '../shared/conditional.ts';
import packageJson from '../../../package.json' with { type: 'json' };
import type { Language } from '../../db/schema.ts';
import { EventParams, LangQuery } from '../shared/schemas.ts';
import type { Programme } from '../../domains/programme/assemble.ts';
import { readerProgramme } from '../shared/preview.ts';
import { findLatestReleaseOfSlug, listReleases } from '../../domains/releases/repository.ts';
import { renderSessionsCsv } from '../../domains/interop/csv.ts';
import { feedbackStateOf, figuresBySession } from '../../domains/participants/feedback.ts';
import { exportProgrammeJson } from '../../domains/interop/programme-json.ts';
import { exportPath, renderFrabJson } from '../../domains/interop/frab-export.ts';
import { renderFrabXml } from '../../domains/interop/frab-export-xml.ts';
import { wellFormedJsonText } from '../../unicode.ts';

/** Part of every ETag: raise it when an export's format changes, so that caches let go. */
const EXPORT_FORMAT = 1;

/** What the schedule is a version of when an organiser previews the working copy. */
const WORKING_COPY = 'working copy';

const GENERATOR = { name: 'forum-programme', version: packageJson.version };

interface RenderContext {
  programme: Programme;
  locale: Language;
  publicUrl: string;
  /** The address of the file, without query parameters other than ?lang=. */
  selfUrl: string;
  version: string;
  /** Participants' feedback figures, for the files that show them. */
  feedback: () => ReturnType<typeof figuresBySession>;
}

interface ExportFile {
  file: string;
  contentType: string;
  /** Offered as a download (spreadsheets) rather than read in place (apps). */
  download?: (slug: string) => string;
  /** Holds every language at once: no ?lang=, no Content-Language. */
  multilingual?: boolean;
  /** Shows participants' feedback figures: its ETag and date follow the answers too. */
  feedback?: true;
  render: (context: RenderContext) => string;
}

const EXPORTS = {
  xml: {
    file: 'schedule.xml',
    contentType: 'application/xml; charset=utf-8',
    render: (c: RenderContext) => renderFrabXml(c.programme, { locale: c.locale, publicUrl: c.publicUrl, selfUrl: c.selfUrl, version: c.version, generator: GENERATOR }),
  },
  json: {
    file: 'schedule.json',
    contentType: 'application/json; charset=utf-8',
    // Lone surrogates as U+FFFD and control characters dropped, as in its XML twin.
    render: (c: RenderContext) => wellFormedJsonText(renderFrabJson(c.programme, { locale: c.locale, publicUrl: c.publicUrl, selfUrl: c.selfUrl, version: c.version, generator: GENERATOR })),
  },
  programme: {
    file: 'programme.json',
    contentType: 'application/json; charset=utf-8',
    multilingual: true,
    // Cleaned as the import checks texts: an export is always importable again.
    render: (c: RenderContext) => wellFormedJsonText(exportProgrammeJson(c.programme)),
  },
  csv: {
    file: 'sessions.csv',
    contentType: 'text/csv; charset=utf-8',
    download: (slug: string) => `${slug}-sessions.csv`,
    feedback: true,
    render: (c: RenderContext) => renderSessionsCsv(c.programme, { locale: c.locale, publicUrl: c.publicUrl, feedback: c.feedback() }),
  },
} satisfies Record<string, ExportFile>;

const RENDERED_EXPORTS_MAX = 60;

export default async function exportRoutes(fastify: FastifyInstance, options: { publicUrl: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // Exports are public data, like the feeds: any site may read them (and revalidate them) from
  // a browser. @fastify/cors cannot be registered a second time (its OPTIONS * route is global):
  // the preflight is answered by the calendar feeds' registration, which allows GET and HEAD with
  // If-None-Match and If-Modified-Since from any origin; these replies carry the same headers.
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('Access-Control-Allow-Origin', '*').header('Access-Control-Expose-Headers', 'ETag, Last-Modified, Content-Disposition');
  });

  /** Exports already written, by ETag: an ETag names exactly one body of this app's database, so this cache cannot go stale. */
  const renderedExports = new BoundedCache<string, string>(RENDERED_EXPORTS_MAX);

  /** The name of the release a published programme comes from (its event's revision is the release's sequence). */
  function releaseName(programme: Programme): string {
    const { event } = programme;
    const latest = findLatestReleaseOfSlug(app.db, event.slug);
    if (latest && latest.sequence === event.revision) return latest.name;
    // A release was made between reading the programme and now: name the one that was read.
    return listReleases(app.db, event.id).find((r) => r.sequence === event.revision)?.name ?? String(event.revision);
  }

  function sendExport(request: FastifyRequest, reply: FastifyReply, query: { slug: string; lang?: Language | undefined }, kind: ExportFile) {
    // The working copy of a preview has no release to name or validate against.
    const { programme, preview } = readerProgramme(request, reply, query.slug);
    const { event } = programme;
    const locale = query.lang ?? event.defaultLanguage;
    const selfUrl = `${options.publicUrl}${exportPath(event, kind.file, locale)}`;
    const render = (version: string) => kind.render({ programme, locale, publicUrl: options.publicUrl, selfUrl, version, feedback: () => figuresBySession(app.db, programme) });

    if (!kind.multilingual) reply.header('Content-Language', locale);
    reply
      // Other sites may fetch exports; helmet's default would forbid it.
      .header('Cross-Origin-Resource-Policy', 'cross-origin')
      .type(kind.contentType);
    if (kind.download) reply.header('Content-Disposition', contentDisposition(kind.download(event.slug)));
    if (preview) return reply.send(render(WORKING_COPY));

    const feedback = kind.feedback ? feedbackStateOf(app.db, event.slug) : null;
    // Everything the body depends on, and nothing else: equal ETags mean equal bytes. The
    // release is named by its event's revision (its sequence) and time.
    const etag = strongEtag(JSON.stringify([
      EXPORT_FORMAT, GENERATOR.version, kind.file, options.publicUrl, event.publicId, event.revision, event.updatedAt.getTime(), locale,
      ...(feedback ? [feedback.word] : []),
    ]));
    const changedAt = feedback?.updatedAt && feedback.updatedAt > event.updatedAt ? feedback.updatedAt : event.updatedAt;
    const lastModified = changedAt.toUTCString();
    reply.header('ETag', etag).header('Last-Modified', lastModified).header('Cache-Control', app.sharedCacheControl);
    if (notModified(request.headers, etag, changedAt)) {
      // A 304 has no body to describe.
      reply.removeHeader('Content-Type');
      reply.removeHeader('Content-Disposition');
      return reply.code(304).send();
    }

    return reply.send(renderedExports.getOrCompute(etag, () => render(releaseName(programme))));
  }

  const schema = { params: EventParams, querystring: LangQuery };
  app.get('/events/:slug/schedule.xml', { schema }, async (request, reply) => sendExport(request, reply, { slug: request.params.slug, lang: request.query.lang }, EXPORTS.xml));
  app.get('/events/:slug/schedule.json', { schema }, async (request, reply) => sendExport(request, reply, { slug: request.params.slug, lang: request.query.lang }, EXPORTS.json));
  app.get('/events/:slug/programme.json', { schema: { params: EventParams } }, async (request, reply) => sendExport(request, reply, { slug: request.params.slug }, EXPORTS.programme));
  app.get('/events/:slug/sessions.csv', { schema }, async (request, reply) => sendExport(request, reply, { slug: request.params.slug, lang: request.query.lang }, EXPORTS.csv));
}
