// The public follow-up of an event's recommendations and actions: a page (grouped by expected
// output, filtered by a GET form that needs no JavaScript, printable) and an Atom feed of the
// status changes. Published conclusions only, over the released programme; read-only. Both are
// kept by the public cache: every follow-up write raises its item's version, which is part of
// the event's public state (domains/releases/repository.ts), so an update is seen at once.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  filterFollowUp, getFollowUp, groupFollowUp, ownerName, ownersOf, statusChanges, type FollowUpItem,
} from '../../domains/conclusions/follow-up.ts';
import { FOLLOW_UP_LIMITS } from '../../domains/conclusions/follow-up-schemas.ts';
import { escapeXml } from '../../domains/interop/frab-export-xml.ts';
import { Lang, PublicId } from '../../domains/programme/schemas.ts';
import { readProgramme } from '../../domains/releases/reader.ts';
import { FOLLOW_UP_STATUSES, type Language } from '../../db/schema.ts';
import { translate } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { followUpItemView, itemLabel, statusLabel, statusOptions } from '../shared/follow-up-presenter.ts';
import { outputRef } from '../shared/conclusions-presenter.ts';
import { Presenter } from '../shared/presenter.ts';
import { EventParams, LangQuery } from '../shared/schemas.ts';

/** A filter left at "all" is sent empty. */
const orAll = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Optional(Type.Union([schema, Type.Literal('')]));

const FollowUpQuery = Type.Object({
  lang: Type.Optional(Lang),
  status: orAll(Type.Enum(FOLLOW_UP_STATUSES)),
  output: orAll(PublicId),
  owner: orAll(PublicId),
});

const blankToUndefined = <T extends string>(value: T | '' | undefined): T | undefined => (value === '' ? undefined : value);

export default async function followUpRoutes(fastify: FastifyInstance, options: { publicUrl: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/events/:slug/follow-up', { schema: { params: EventParams, querystring: FollowUpQuery } }, async (request, reply) => {
    const programme = readProgramme(app.db, { slug: request.params.slug }, 'released');
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const presenter = new Presenter(programme.event, locale);
    const now = app.now();
    const all = getFollowUp(app.db, programme, now);
    const filters = {
      status: blankToUndefined(request.query.status), output: blankToUndefined(request.query.output), owner: blankToUndefined(request.query.owner),
    };
    const shown = filterFollowUp(all, filters);
    const groups = groupFollowUp(shown, programme.outputs);
    const view = (i: FollowUpItem) => followUpItemView(presenter, i, now);
    const outputs = [...programme.outputs].sort((a, b) => a.position - b.position);
    const filtered = filters.status !== undefined || filters.output !== undefined || filters.owner !== undefined;
    const lang = request.query.lang ? `?lang=${request.query.lang}` : '';
    return reply.page('site/follow-up', locale, {
      title: translate(locale, 'followup.title'),
      event: presenter.eventSummary(),
      section: 'report',
      feed: { url: `${presenter.url('/follow-up.atom')}${lang}`, title: translate(locale, 'followup.feed.link') },
      reportUrl: `${presenter.url('/report')}${lang}`,
      anything: all.length > 0,
      filtered,
      shown: translate(locale, 'followup.filter.shown', { count: shown.length, total: all.length }),
      filters: {
        action: presenter.url('/follow-up'),
        lang: request.query.lang ?? null,
        statuses: statusOptions(presenter, filters.status),
        outputs: outputs.map((o) => ({ value: o.publicId, label: outputRef(presenter, o).label, selected: o.publicId === filters.output })),
        owners: ownersOf(all).map((o) => ({ value: o.row.publicId, label: ownerName(o, locale), selected: o.row.publicId === filters.owner }))
          .sort((a, b) => a.label.localeCompare(b.label, locale)),
        resetUrl: `${presenter.url('/follow-up')}${lang}`,
      },
      groups: groups.outputs
        .filter((g) => filters.output === undefined || g.output.publicId === filters.output)
        .map((g) => ({ ...outputRef(presenter, g.output), items: g.items.map(view) })),
      untied: groups.untied.map(view),
      actions: groups.actions.map(view),
    });
  });

  app.get('/events/:slug/follow-up.atom', { schema: { params: EventParams, querystring: LangQuery } }, async (request, reply) => {
    const programme = readProgramme(app.db, { slug: request.params.slug }, 'released');
    const locale: Language = request.query.lang ?? programme.event.defaultLanguage;
    const items = getFollowUp(app.db, programme, app.now());
    return reply.type('application/atom+xml; charset=utf-8').header('Content-Language', locale)
      .send(followUpAtom(new Presenter(programme.event, locale), items, options.publicUrl));
  });
}

/**
 * The Atom feed (RFC 4287) of status changes, newest first. Entry ids are the notes' public ids
 * as urn:uuid: a note is written once, so an entry never changes and feed readers de-duplicate
 * on it. With no entry yet, the feed is "updated" at the event's first day, so that its bytes
 * do not change from one request to the next.
 */
export function followUpAtom(presenter: Presenter, items: FollowUpItem[], publicUrl: string): string {
  const { event, locale } = presenter;
  const t = (key: Parameters<typeof translate>[1], params: Record<string, unknown> = {}) => translate(locale, key, params);
  const page = `${publicUrl}${presenter.url('/follow-up')}`;
  const self = `${publicUrl}${presenter.url('/follow-up.atom')}`;
  const entries = statusChanges(items, FOLLOW_UP_LIMITS.feedEntries);
  const eventTitle = presenter.text(event.title)?.text ?? event.slug;
  const updated = entries[0]?.note.at ?? new Date(`${event.startDate}T00:00:00.000Z`);
  const attr = (value: string) => escapeXml(value).replace(/"/g, '&quot;');
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">`,
    `  <id>${escapeXml(page)}</id>`,
    `  <title>${escapeXml(t('followup.feed.title', { event: eventTitle }))}</title>`,
    `  <subtitle>${escapeXml(t('followup.feed.subtitle'))}</subtitle>`,
    `  <updated>${updated.toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${attr(self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${attr(page)}"/>`,
    `  <author><name>${escapeXml(eventTitle)}</name></author>`,
  ];
  for (const { item, note } of entries) {
    const session = presenter.text(item.session.row.title)?.text ?? '';
    const body = [
      t('followup.feed.moved', { from: statusLabel(presenter, note.statusFrom!), to: statusLabel(presenter, note.statusTo!) }),
      item.text,
      ...(note.note ? [note.note] : []),
      ...note.links.map((l) => `${l.title}: ${l.url}`),
      t('followup.feed.by', { author: note.author }),
    ].join('\n\n');
    lines.push(
      '  <entry>',
      `    <id>urn:uuid:${note.publicId}</id>`,
      `    <title>${escapeXml(t('followup.feed.entryTitle', { item: itemLabel(presenter, item), session, status: statusLabel(presenter, note.statusTo!) }))}</title>`,
      `    <updated>${note.at.toISOString()}</updated>`,
      `    <published>${note.at.toISOString()}</published>`,
      `    <author><name>${escapeXml(note.author)}</name></author>`,
      `    <link rel="alternate" type="text/html" href="${attr(`${page}#${item.id}`)}"/>`,
      `    <content type="text">${escapeXml(body)}</content>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
