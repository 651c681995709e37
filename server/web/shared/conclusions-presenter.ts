// Turns conclusions and the report into what the templates show, in one reader's language.
// Rapporteurs' Markdown becomes sanitised HTML here (markdown.ts), and nowhere else.
import Handlebars from 'handlebars';
import type { ConclusionContent, ConclusionState } from '../../db/schema.ts';
import { translate } from '../../i18n/index.ts';
import type { Presenter } from './presenter.ts';
import type { OutputRow } from '../../domains/programme/repository.ts';
import type { ProgrammeSession } from '../../domains/programme/assemble.ts';
import { localClock, localDate, longDate } from '../../time.ts';
import { renderInlineMarkdown, renderMarkdown } from './markdown.ts';
import type { Report, ReportFollowUpState, ReportRecommendation } from '../../domains/conclusions/report.ts';

const safe = (html: string) => new Handlebars.SafeString(html);

export function outputRef(presenter: Presenter, output: OutputRow) {
  return {
    id: output.publicId,
    number: output.position + 1,
    label: translate(presenter.locale, 'outputs.number', { number: output.position + 1 }),
    statement: presenter.text(output.statement),
    url: `${presenter.url('/outputs')}#output-${output.publicId}`,
  };
}

/** A due date as the reader reads dates. */
function dueDate(presenter: Presenter, due: string | null) {
  return due ? { iso: due, text: longDate(due, presenter.dateLocale) } : null;
}

/**
 * Conclusions as a page shows them. `lang` is set when they are written in another language
 * than the page's, so that screen readers pronounce them right.
 */
export function conclusionsView(presenter: Presenter, content: ConclusionContent, outputs: readonly OutputRow[]) {
  const byId = new Map(outputs.map((o) => [o.publicId, o]));
  return {
    lang: content.language !== presenter.locale ? content.language : null,
    languageName: translate(presenter.locale, `texts.languageName.${content.language}`),
    summary: content.summary ? safe(renderMarkdown(content.summary)) : null,
    keyPoints: content.keyPoints.map((p) => safe(renderMarkdown(p))),
    challenges: content.challenges ? safe(renderMarkdown(content.challenges)) : null,
    recommendations: content.recommendations.map((r) => ({
      html: safe(renderMarkdown(r.text)),
      outputs: r.outputs.map((id) => byId.get(id)).filter((o): o is OutputRow => o !== undefined)
        .sort((a, b) => a.position - b.position).map((o) => outputRef(presenter, o)),
    })),
    followUps: content.followUps.map((f) => ({ action: safe(renderInlineMarkdown(f.action)), owner: f.owner, due: dueDate(presenter, f.due) })),
    participants: content.participants,
  };
}

export function stateLabel(presenter: Presenter | { locale: Presenter['locale'] }, state: ConclusionState | 'none', publishedRevision: number | null = null): string {
  const label = translate(presenter.locale, `conclusions.state.${state}`);
  return publishedRevision !== null && state !== 'published'
    ? translate(presenter.locale, 'conclusions.state.withPublished', { state: label, revision: publishedRevision })
    : label;
}

function sessionRef(presenter: Presenter, session: ProgrammeSession) {
  const zone = presenter.event.timezone;
  return {
    id: session.publicId,
    anchor: `session-${session.publicId}`,
    url: presenter.url(`/sessions/${session.publicId}`),
    title: presenter.text(session.row.title),
    when: session.slot
      ? translate(presenter.locale, 'slot.label', {
        day: longDate(localDate(session.slot.startsAt, zone), presenter.dateLocale), start: localClock(session.slot.startsAt, zone), end: localClock(session.slot.endsAt, zone),
      })
      : null,
    room: session.room ? presenter.text(session.room.name) : null,
  };
}

/** Where an item stands, as a word (never a colour alone), with its address on the follow-up page. */
export function followUpBadge(presenter: Presenter, state: ReportFollowUpState) {
  return { status: state.status, label: translate(presenter.locale, `followup.status.${state.status}`), url: presenter.url(`/follow-up#${state.id}`) };
}

/** The report page's model; the coverage panel only when asked for (organisers). */
export function reportView(presenter: Presenter, report: Report, outputs: readonly OutputRow[], options: { coverage: boolean }) {
  const recommendation = (r: ReportRecommendation) => ({
    html: safe(renderMarkdown(r.text)),
    lang: r.language !== presenter.locale ? r.language : null,
    session: sessionRef(presenter, r.session),
    followUp: followUpBadge(presenter, r.followUp),
  });
  const zone = presenter.event.timezone;
  return {
    publishedUpTo: report.publishedUpTo
      ? translate(presenter.locale, 'report.publishedUpTo', {
        date: longDate(localDate(report.publishedUpTo, zone), presenter.dateLocale), time: localClock(report.publishedUpTo, zone), timezone: zone,
      })
      : null,
    outputs: report.outputs.map(({ output, recommendations }) => ({ ...outputRef(presenter, output), recommendations: recommendations.map(recommendation) })),
    otherRecommendations: report.otherRecommendations.map(recommendation),
    parts: report.parts.map(({ part, sessions }) => ({
      heading: part
        ? { label: presenter.text(part.label), title: presenter.text(part.title) }
        : null,
      sessions: sessions.map(({ session, conclusions }) => ({
        ...sessionRef(presenter, session),
        conclusions: conclusionsView(presenter, conclusions.content, outputs),
      })),
    })),
    followUps: report.followUps.map((f) => ({
      action: safe(renderInlineMarkdown(f.action)),
      lang: f.language !== presenter.locale ? f.language : null,
      owner: f.owner,
      due: dueDate(presenter, f.due),
      session: sessionRef(presenter, f.session),
      followUp: followUpBadge(presenter, f.followUp),
    })),
    coverage: options.coverage
      ? {
        outputsWithout: report.coverage.outputsWithout.map((o) => outputRef(presenter, o)),
        sessionsWithout: report.coverage.sessionsWithout.map(({ session, state }) => ({
          ...sessionRef(presenter, session),
          state: stateLabel(presenter, state),
          editUrl: `/rapporteur/events/${encodeURIComponent(presenter.event.slug)}/sessions/${session.publicId}`,
        })),
      }
      : null,
  };
}
