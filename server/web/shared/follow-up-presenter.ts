// The follow-up of recommendations and actions as pages show it, in one reader's language: the
// public page, the organisers' list and the rapporteurs' page show items the same way.
// Rapporteurs' Markdown becomes sanitised HTML here (markdown.ts); notes are plain text.
import Handlebars from 'handlebars';
import type { FollowUpStatus } from '../../db/schema.ts';
import { FOLLOW_UP_STATUSES } from '../../db/schema.ts';
import {
  ageInDays, lastNote, ownerName, stalledFollowUp, type FollowUpItem, type FollowUpNote,
} from '../../domains/conclusions/follow-up.ts';
import type { OutputRow } from '../../domains/programme/repository.ts';
import { translate } from '../../i18n/index.ts';
import { localClock, localDate, longDate } from '../../time.ts';
import { isWebAddress } from '../../addresses.ts';
import { outputRef } from './conclusions-presenter.ts';
import { renderMarkdown } from './markdown.ts';
import type { Presenter } from './presenter.ts';

const safe = (html: string) => new Handlebars.SafeString(html);

export function statusLabel(presenter: Pick<Presenter, 'locale'>, status: FollowUpStatus): string {
  return translate(presenter.locale, `followup.status.${status}`);
}

/** "Recommandation 2", "Action 1". */
export function itemLabel(presenter: Pick<Presenter, 'locale'>, item: Pick<FollowUpItem, 'kind' | 'position'>): string {
  return translate(presenter.locale, item.kind === 'recommendation' ? 'conclusions.form.recommendation' : 'conclusions.form.followUp', { number: item.position + 1 });
}

function dateOf(presenter: Presenter, at: Date) {
  const zone = presenter.event.timezone;
  return { iso: at.toISOString(), text: `${longDate(localDate(at, zone), presenter.dateLocale)} ${localClock(at, zone)}` };
}

export function noteView(presenter: Presenter, note: FollowUpNote) {
  return {
    id: note.publicId,
    at: dateOf(presenter, note.at),
    author: note.author,
    by: translate(presenter.locale, 'followup.noteBy', { author: note.author, date: dateOf(presenter, note.at).text }),
    moved: note.statusFrom && note.statusTo
      ? translate(presenter.locale, 'followup.moved', { from: statusLabel(presenter, note.statusFrom), to: statusLabel(presenter, note.statusTo) })
      : null,
    text: note.note,
    // Addresses were checked when written; one that is not a web address is shown as text.
    links: note.links.map((l) => ({ title: l.title, href: isWebAddress(l.url) ? l.url : null })),
  };
}

function ageText(presenter: Presenter, item: FollowUpItem, now: Date): string {
  const days = ageInDays(item, now);
  if (days === 0) return translate(presenter.locale, 'followup.age.today');
  return days === 1 ? translate(presenter.locale, 'followup.age.one') : translate(presenter.locale, 'followup.age.days', { days });
}

/** One item as every page shows it. */
export function followUpItemView(presenter: Presenter, item: FollowUpItem, now: Date) {
  const last = lastNote(item);
  return {
    id: item.id,
    ref: item.ref,
    kind: item.kind,
    label: itemLabel(presenter, item),
    html: safe(renderMarkdown(item.text)),
    lang: item.language !== presenter.locale ? item.language : null,
    session: {
      title: presenter.text(item.session.row.title),
      url: presenter.url(`/sessions/${item.session.publicId}`),
      source: translate(presenter.locale, 'followup.source', { session: presenter.text(item.session.row.title)?.text ?? '' }),
    },
    outputs: item.outputs.map((o) => outputRef(presenter, o)),
    status: item.status,
    statusLabel: statusLabel(presenter, item.status),
    owner: item.owner ? ownerName(item.owner, presenter.locale) : null,
    ownerId: item.owner?.row.publicId ?? null,
    proposedOwner: item.proposedOwner ? translate(presenter.locale, 'followup.proposedOwner', { owner: item.proposedOwner }) : null,
    due: item.due ? { iso: item.due, text: longDate(item.due, presenter.dateLocale) } : null,
    overdue: item.overdue,
    age: ageText(presenter, item, now),
    textChanged: item.textChanged,
    lastNote: last ? noteView(presenter, last) : null,
    notes: item.notes.map((n) => noteView(presenter, n)).reverse(),
    version: item.version,
  };
}

/** The choices of a status select, the current one selected. */
export function statusOptions(presenter: Pick<Presenter, 'locale'>, selected: string | undefined) {
  return FOLLOW_UP_STATUSES.map((s) => ({ value: s, label: statusLabel(presenter, s), selected: s === selected }));
}

/**
 * The organisers' follow-up view of the coverage panel: outputs that stall and actions past due.
 * `action` is the page the months' form sends to.
 */
export function followUpCoverageView(presenter: Presenter, items: FollowUpItem[], outputs: readonly OutputRow[], now: Date, months: number, action: string) {
  const stalled = stalledFollowUp(items, outputs, now, months);
  return {
    action,
    months,
    outputs: stalled.outputs.map(({ output, items: recommendations }) => ({
      ...outputRef(presenter, output),
      count: translate(presenter.locale, 'followup.coverage.count', { count: recommendations.length }),
      followUpUrl: `${presenter.url('/follow-up')}?output=${output.publicId}`,
    })),
    overdue: stalled.overdueActions.map((a) => followUpItemView(presenter, a, now)),
    followUpUrl: presenter.url('/follow-up'),
  };
}
