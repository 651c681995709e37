// The consolidated report as files: JSON (every language, for other tools) and Markdown (in
// the reader's language, for the secretariat's word processor). Pure functions of the report.
import type { Language } from '../../db/schema.ts';
import { translate, type MessageKey } from '../../i18n/index.ts';
import { Presenter } from './presenter.ts';
import type { Programme, ProgrammeSession } from '../../domains/programme/assemble.ts';
import { localClock, localDate, longDate, toZonedIso } from '../../time.ts';
import { markdownSafeForExport } from './markdown.ts';
import { wellFormedText, wellFormedValue } from '../../unicode.ts';
import type { Report, ReportRecommendation } from '../../domains/conclusions/report.ts';
import type { EventFeedback } from '../../domains/participants/feedback.ts';
import { figuresView } from './feedback-presenter.ts';

// ---- JSON

/** The report for other tools; its texts as wellFormedValue makes them, since strict JSON parsers refuse a lone surrogate. */
export function reportJson(programme: Programme, report: Report, options: { coverage: boolean }, feedback: EventFeedback | null = null) {
  return wellFormedValue({ ...reportData(programme, report, options), ...(feedback ? { feedback: feedbackData(programme, feedback) } : {}) });
}

/** Participants' feedback: each session's figures and approved comments, then each part's and output's figures. */
function feedbackData(programme: Programme, feedback: EventFeedback) {
  const zone = programme.event.timezone;
  const figures = (f: EventFeedback['total']) => ({ answers: f.answers, ratings: f.ratings, mean: f.mean, useful: f.useful, usefulShare: f.usefulShare });
  return {
    sessions: feedback.sessions.map(({ session, figures: f, comments }) => ({
      session: session.publicId, title: session.row.title, ...figures(f),
      comments: comments.filter((c) => c.state === 'approved').map((c) => ({ text: c.text, at: toZonedIso(c.at, zone) })),
    })),
    parts: feedback.parts.map(({ part, figures: f }) => ({ part: part?.publicId ?? null, ...figures(f) })),
    outputs: feedback.outputs.map(({ output, figures: f }) => ({ output: output.publicId, number: output.position + 1, ...figures(f) })),
    total: figures(feedback.total),
  };
}

function reportData(programme: Programme, report: Report, options: { coverage: boolean }) {
  const { event } = programme;
  const zone = event.timezone;
  const recommendation = (r: ReportRecommendation) => ({ session: r.session.publicId, text: r.text, language: r.language, outputs: r.outputs.map((o) => o.publicId), followUp: r.followUp });
  const sessionRef = (s: ProgrammeSession) => ({
    id: s.publicId,
    title: s.row.title,
    start: s.slot ? toZonedIso(s.slot.startsAt, zone) : null,
    end: s.slot ? toZonedIso(s.slot.endsAt, zone) : null,
    room: s.room ? { id: s.room.publicId, name: s.room.name } : null,
  });
  return {
    event: { slug: event.slug, title: event.title, timezone: zone, startDate: event.startDate, endDate: event.endDate },
    publishedUpTo: report.publishedUpTo ? toZonedIso(report.publishedUpTo, zone) : null,
    outputs: report.outputs.map(({ output, recommendations }) => ({
      id: output.publicId, number: output.position + 1, statement: output.statement, recommendations: recommendations.map(recommendation),
    })),
    otherRecommendations: report.otherRecommendations.map(recommendation),
    parts: report.parts.map(({ part, sessions }) => ({
      part: part ? { id: part.publicId, label: part.label, title: part.title } : null,
      sessions: sessions.map(({ session, conclusions }) => ({
        ...sessionRef(session),
        revision: conclusions.revision,
        publishedAt: toZonedIso(conclusions.publishedAt, zone),
        conclusions: conclusions.content,
      })),
    })),
    followUps: report.followUps.map((f) => ({ action: f.action, owner: f.owner, due: f.due, language: f.language, session: f.session.publicId, followUp: f.followUp })),
    ...(options.coverage ? {
      coverage: {
        outputsWithout: report.coverage.outputsWithout.map((o) => o.publicId),
        sessionsWithout: report.coverage.sessionsWithout.map(({ session, state }) => ({ id: session.publicId, title: session.row.title, state })),
      },
    } : {}),
  };
}

// ---- Markdown

/** Organisers' and rapporteurs' text on one line (a heading, a table cell): HTML stays text, pipes stay in their cell. */
function inline(text: string): string {
  return markdownSafeForExport(text.replace(/\s+/g, (run) => (run.includes('\n') ? ' ' : run))).replace(/\|/g, '\\|');
}

/** A block of a rapporteur's Markdown, kept as Markdown; HTML in it stays text. */
function block(text: string): string {
  return markdownSafeForExport(text);
}

/** A list item that may span lines: continuation lines are indented under it. */
function item(text: string): string {
  return `- ${block(text).replace(/\n/g, '\n  ')}`;
}

export function reportMarkdown(programme: Programme, report: Report, locale: Language, feedback: EventFeedback | null = null): string {
  const presenter = new Presenter(programme.event, locale);
  const t = (key: MessageKey, params: Record<string, unknown> = {}) => translate(locale, key, params);
  const text = (value: Parameters<Presenter['text']>[0]) => inline(presenter.text(value)?.text ?? '');
  const zone = programme.event.timezone;
  const sessionTitle = (s: ProgrammeSession) => text(s.row.title);
  const when = (s: ProgrammeSession) => (s.slot
    ? t('slot.label', { day: longDate(localDate(s.slot.startsAt, zone), locale), start: localClock(s.slot.startsAt, zone), end: localClock(s.slot.endsAt, zone) })
    : '');
  const outputLabel = (number: number) => t('outputs.number', { number });
  const colon = t('punctuation.colon');
  const status = (r: { followUp: ReportRecommendation['followUp'] }) => t(`followup.status.${r.followUp.status}`);
  const summary = presenter.eventSummary();

  const lines: string[] = [];
  lines.push(`# ${inline(t('report.title'))}${colon}${text(programme.event.title)}`, '');
  lines.push(`${inline(summary.dates)}${summary.venue ? `, ${inline(summary.venue.text)}` : ''}${summary.city ? `, ${inline(summary.city)}` : ''}`, '');
  lines.push(report.publishedUpTo
    ? t('report.publishedUpTo', { date: longDate(localDate(report.publishedUpTo, zone), locale), time: localClock(report.publishedUpTo, zone), timezone: zone })
    : t('report.nothingYet'), '');

  lines.push(`## ${t('report.byOutput')}`, '');
  for (const { output, recommendations } of report.outputs) {
    lines.push(`### ${outputLabel(output.position + 1)}${colon}${text(output.statement)}`, '');
    if (recommendations.length === 0) lines.push(`_${t('report.noRecommendation')}_`, '');
    else {
      for (const r of recommendations) lines.push(`${item(r.text)}\n  _(${sessionTitle(r.session)} · ${status(r)})_`);
      lines.push('');
    }
  }
  if (report.otherRecommendations.length > 0) {
    lines.push(`### ${t('report.otherRecommendations')}`, '');
    for (const r of report.otherRecommendations) lines.push(`${item(r.text)}\n  _(${sessionTitle(r.session)} · ${status(r)})_`);
    lines.push('');
  }

  lines.push(`## ${t('report.bySession')}`, '');
  for (const { part, sessions } of report.parts) {
    lines.push(`### ${part ? `${text(part.label)}${colon}${text(part.title)}` : t('report.noPart')}`, '');
    for (const { session, conclusions } of sessions) {
      const c = conclusions.content;
      lines.push(`#### ${sessionTitle(session)}`, '');
      const facts = [when(session), session.room ? text(session.room.name) : '', c.participants !== null ? t('report.participants', { count: c.participants }) : '']
        .filter((f) => f !== '');
      if (facts.length > 0) lines.push(`_${facts.join(' · ')}_`, '');
      if (c.summary) lines.push(`**${t('conclusions.field.summary')}**`, '', block(c.summary), '');
      if (c.keyPoints.length > 0) lines.push(`**${t('conclusions.field.keyPoints')}**`, '', ...c.keyPoints.map(item), '');
      if (c.challenges) lines.push(`**${t('conclusions.field.challenges')}**`, '', block(c.challenges), '');
      if (c.recommendations.length > 0) {
        lines.push(`**${t('conclusions.field.recommendations')}**`, '');
        for (const r of c.recommendations) {
          const numbers = r.outputs.map((id) => programme.outputs.find((o) => o.publicId === id)).filter((o) => o !== undefined).map((o) => outputLabel(o.position + 1));
          lines.push(numbers.length > 0 ? `${item(r.text)}\n  _(${numbers.join(', ')})_` : item(r.text));
        }
        lines.push('');
      }
    }
  }

  lines.push(`## ${t('conclusions.field.followUps')}`, '');
  if (report.followUps.length === 0) lines.push(`_${t('report.noFollowUps')}_`, '');
  else {
    lines.push(`| ${t('field.action')} | ${t('field.who')} | ${t('conclusions.field.due')} | ${t('kind.session')} | ${t('exports.column.status')} |`, '| --- | --- | --- | --- | --- |');
    for (const f of report.followUps) {
      lines.push(`| ${inline(f.action)} | ${inline(f.owner)} | ${f.due ? longDate(f.due, locale) : ''} | ${sessionTitle(f.session)} | ${status(f)} |`);
    }
    lines.push('');
  }
  if (feedback) lines.push(...feedbackMarkdown(feedback, locale, sessionTitle));
  // What rapporteurs wrote before texts were checked may hold control characters or lone surrogates.
  return wellFormedText(`${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`);
}

/** The report's section of participants' feedback: a table of each session's figures, then its approved comments. */
function feedbackMarkdown(feedback: EventFeedback, locale: Language, sessionTitle: (s: ProgrammeSession) => string): string[] {
  const t = (key: MessageKey, params: Record<string, unknown> = {}) => translate(locale, key, params);
  const lines = [`## ${t('feedback.report.title')}`, ''];
  if (feedback.sessions.length === 0) return [...lines, `_${t('feedback.report.none')}_`, ''];
  lines.push(`| ${t('kind.session')} | ${t('feedback.figures.answers')} | 1 | 2 | 3 | 4 | 5 | ${t('feedback.figures.mean')} | ${t('feedback.figures.useful')} |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const { session, figures } of feedback.sessions) {
    const view = figuresView(locale, figures);
    lines.push(`| ${sessionTitle(session)} | ${view.answers} | ${view.ratings.map((r) => r.count).join(' | ')} | ${view.mean} | ${view.useful} |`);
  }
  lines.push('');
  for (const { session, comments } of feedback.sessions) {
    const approved = comments.filter((c) => c.state === 'approved');
    if (approved.length === 0) continue;
    lines.push(`### ${t('feedback.report.commentsOf', { session: sessionTitle(session) })}`, '', ...approved.map((c) => item(c.text)), '');
  }
  return lines;
}
