// Participants' feedback as pages show it: the figures in the reader's language (the mean to one
// decimal, the useful share as a percentage), for the report and the organisers' page alike.
import type { Language } from '../../db/schema.ts';
import type { EventFeedback, FeedbackFigures } from '../../domains/participants/feedback.ts';
import { translate } from '../../i18n/index.ts';
import { localClock, localDate, longDate } from '../../time.ts';
import type { Presenter } from './presenter.ts';

export function figuresView(locale: Language, figures: FeedbackFigures) {
  const decimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const none = translate(locale, 'feedback.figures.none');
  return {
    answers: figures.answers,
    ratings: figures.ratings.map((count, index) => ({ rating: index + 1, count })),
    mean: figures.mean === null ? none : decimal.format(figures.mean),
    useful: figures.usefulShare === null ? none : percent.format(figures.usefulShare),
    usefulCounts: translate(locale, 'feedback.figures.usefulCounts', { yes: figures.useful.yes, no: figures.useful.no }),
  };
}

/** The heads of the five rating columns: the number, and what it means. */
export function ratingHeads(locale: Language) {
  return ([1, 2, 3, 4, 5] as const).map((rating) => ({ rating, label: translate(locale, `feedback.rating.${rating}`) }));
}

/**
 * Each session's figures and comments, then each part's and output's figures, as rows of the
 * figures' table (views/partials/feedback-figures.hbs): a name, and the figures.
 */
export function feedbackView(presenter: Presenter, feedback: EventFeedback) {
  const { locale } = presenter;
  const zone = presenter.event.timezone;
  const at = (date: Date) => `${longDate(localDate(date, zone), presenter.dateLocale)}, ${localClock(date, zone)}`;
  const colon = translate(locale, 'punctuation.colon');
  return {
    ratingHeads: ratingHeads(locale),
    sessions: feedback.sessions.map(({ session, figures, comments }) => {
      const view = presenter.session(session);
      return {
        anchor: `feedback-${session.publicId}`,
        id: session.publicId,
        name: { text: view.title?.text ?? '', lang: view.title?.lang ?? locale, url: view.url },
        when: view.day ? `${view.day}, ${view.start}–${view.end}` : null,
        figures: figuresView(locale, figures),
        comments: comments.map((c) => ({ id: c.id, text: c.text, state: c.state, version: c.version, at: at(c.at), iso: c.at.toISOString() })),
      };
    }),
    parts: feedback.parts.map(({ part, figures }) => {
      const label = part ? presenter.text(part.label) : null;
      const title = part ? presenter.text(part.title) : null;
      return {
        name: part ? { text: `${label?.text ?? ''}${colon}${title?.text ?? ''}`, lang: title?.lang ?? locale, url: null } : { text: translate(locale, 'report.noPart'), lang: locale, url: null },
        figures: figuresView(locale, figures),
      };
    }),
    outputs: feedback.outputs.map(({ output, figures }) => {
      const statement = presenter.text(output.statement);
      return {
        name: { text: `${translate(locale, 'outputs.number', { number: output.position + 1 })}${colon}${statement?.text ?? ''}`, lang: statement?.lang ?? locale, url: null },
        figures: figuresView(locale, figures),
      };
    }),
    total: figuresView(locale, feedback.total),
  };
}
