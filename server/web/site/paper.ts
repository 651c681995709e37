// What a printed page carries: the event, the release, the public address, the page number.
// Chromium (and any browser with CSS page margin boxes) prints them in the margins of every
// page from a small stylesheet of the event's own; the first page also carries them as a block,
// for browsers without margin boxes, and the programme's first page a QR code of its calendar.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Handlebars from 'handlebars';
import { Type } from 'typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { inLanguage } from '../../addresses.ts';
import type { Programme } from '../../domains/programme/assemble.ts';
import { readProgramme } from '../../domains/releases/reader.ts';
import { findLatestReleaseOfEvent } from '../../domains/releases/repository.ts';
import type { Language } from '../../db/schema.ts';
import { translate } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { localDate } from '../../time.ts';
import { dateRangeLabel, Presenter } from '../shared/presenter.ts';
import { readerProgramme } from '../shared/preview.ts';
import { qrSvg } from '../shared/qr.ts';
import { Lang } from '../../domains/programme/schemas.ts';
import { EventParams, LangQuery } from '../shared/schemas.ts';
import { subscription } from './reading.ts';

/** The printed pages that carry running heads: the programme (and a part of it) and the report. */
export type PaperKind = 'programme' | 'report';

export interface Paper {
  /** The print stylesheet of these pages' margins. */
  stylesheet: string;
  title: string;
  /** "version 3 du 10 novembre 2019", or that this is a preview. */
  release: string;
  /** The page's public address, in the reader's language. */
  address: string;
}

/** The running header and footer of a printed page of the event. */
function paperLines(request: FastifyRequest, programme: Programme, locale: Language, publicUrl: string, preview: boolean, kind: PaperKind): Omit<Paper, 'stylesheet'> {
  const event = programme.event;
  const presenter = new Presenter(event, locale);
  // The release shown is the latest one (readProgramme's 'released' view); a preview is none.
  const latest = preview ? null : findLatestReleaseOfEvent(request.server.db, event.id);
  const release = latest
    ? translate(locale, 'paper.release', { name: latest.name, date: dateRangeLabel(localDate(latest.releasedAt, event.timezone), localDate(latest.releasedAt, event.timezone), presenter.dateLocale) })
    : translate(locale, 'paper.preview');
  const path = `/events/${encodeURIComponent(event.slug)}${kind === 'report' ? '/report' : ''}`;
  return { title: presenter.text(event.title)?.text ?? event.slug, release, address: `${publicUrl}${inLanguage(path, locale, event)}` };
}

/** What the layout needs to print a page of the event: its margins' stylesheet and the first page's block. */
export function paperOf(request: FastifyRequest, programme: Programme, locale: Language, publicUrl: string, preview: boolean, kind: PaperKind = 'programme'): Paper {
  const query = new URLSearchParams({ ...(kind === 'report' ? { of: kind } : {}), lang: locale });
  return {
    stylesheet: `/events/${encodeURIComponent(programme.event.slug)}/paper.css?${query.toString()}`,
    ...paperLines(request, programme, locale, publicUrl, preview, kind),
  };
}

/** The QR code of a calendar subscription address, to print and to show for posters and badges. */
export async function calendarQr(address: string, locale: Language) {
  return new Handlebars.SafeString(await qrSvg(address, translate(locale, 'paper.qr.label', { address })));
}

/** A CSS string: quotes and backslashes escaped, line breaks as CSS escapes, other controls dropped. */
export function cssString(value: string): string {
  const escaped = value
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/\r\n|[\n\r\f]/g, '\\A ')
    .replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g, '');
  return `"${escaped}"`;
}

/** The margins of every printed page: event top left, release top right, address bottom left, page bottom right. */
function marginStylesheet(lines: Omit<Paper, 'stylesheet'>): string {
  const box = 'font-family: system-ui, sans-serif; font-size: 8pt; color: #333;';
  return `/* Running heads of the printed pages of this event. */
@page {
  margin: 18mm 15mm 16mm;
  @top-left { content: ${cssString(lines.title)}; ${box} vertical-align: bottom; }
  @top-right { content: ${cssString(lines.release)}; ${box} vertical-align: bottom; }
  @bottom-left { content: ${cssString(lines.address)}; ${box} vertical-align: top; }
  @bottom-right { content: counter(page) " / " counter(pages); ${box} vertical-align: top; }
}
`;
}

const PaperQuery = Type.Object({
  lang: Type.Optional(Lang),
  of: Type.Optional(Type.Union([Type.Literal('programme'), Type.Literal('report')])),
});

export default async function paperRoutes(fastify: FastifyInstance, options: { publicUrl: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/events/:slug/paper.css', { schema: { params: EventParams, querystring: PaperQuery } }, async (request, reply) => {
    const kind = request.query.of ?? 'programme';
    // The report always shows the released programme; the programme an organiser's preview too.
    const { programme, preview } = kind === 'report'
      ? { programme: readProgramme(app.db, { slug: request.params.slug }, 'released'), preview: false }
      : readerProgramme(request, reply, request.params.slug);
    const locale = requestLocale(request, programme.event.defaultLanguage);
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-cache');
    return reply.type('text/css; charset=utf-8').send(marginStylesheet(paperLines(request, programme, locale, options.publicUrl, preview, kind)));
  });

  // The QR code of the event's calendar as a file, for a poster or a badge.
  app.get('/events/:slug/qr.svg', { schema: { params: EventParams, querystring: LangQuery } }, async (request, reply) => {
    const programme = readProgramme(app.db, { slug: request.params.slug }, 'released');
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const address = subscription(options.publicUrl, programme, locale, '', null).links.address;
    const svg = await qrSvg(address, translate(locale, 'paper.qr.label', { address }));
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-cache');
    return reply
      .type('image/svg+xml; charset=utf-8')
      .header('Content-Disposition', `inline; filename="${programme.event.slug}-calendar-qr.svg"`)
      .send(`<?xml version="1.0" encoding="UTF-8"?>\n${svg.replace('<svg ', '<svg width="600" height="600" ')}\n`);
  });
}
