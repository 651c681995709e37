// Copying a day, a time slot or a part of the programme onto another day of the event: a form
// (which day to copy from, what of it, to which day) and its post, which makes the copies in
// one write (domains/programme/bulk.ts) and leads to the target day of the scheduling grid.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { Type } from 'typebox';
import type { Programme } from '../../domains/programme/assemble.ts';
import { BulkRefusal, copyDay, copyPart, copySlot, dayOfPart, type CopyResult } from '../../domains/programme/bulk.ts';
import { Lang, PUBLIC_ID_PATTERN } from '../../domains/programme/schemas.ts';
import type { Language, LocalizedText } from '../../db/schema.ts';
import { NotFoundError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { localDate, longDate } from '../../time.ts';
import { render, scopeOf, slotLabel, workingCopy, writeContext, type Scope } from './kit.ts';
import { EventParams } from '../shared/schemas.ts';

// Ids are looked up in the programme, where one that names nothing is ignored (the page then
// offers the whole day): only an over-long value is a bad request.
const CopyQuery = Type.Object({
  lang: Type.Optional(Lang),
  day: Type.Optional(Type.String({ maxLength: 16 })),
  slot: Type.Optional(Type.String({ maxLength: 64 })),
  part: Type.Optional(Type.String({ maxLength: 64 })),
});

const CopyForm = Type.Object({
  _csrf: Type.String({ maxLength: 200 }),
  /** day:2026-10-24, slot:<id> or part:<id> */
  source: Type.Optional(Type.String({ maxLength: 60 })),
  toDay: Type.Optional(Type.String({ maxLength: 16 })),
});

const SOURCE = new RegExp(`^(?:day:(\\d{4}-\\d{2}-\\d{2})|(slot|part):(${PUBLIC_ID_PATTERN.slice(1, -1)}))$`);

type Source = { kind: 'day'; day: string } | { kind: 'slot' | 'part'; id: string };

function parseSource(value: string | undefined): Source | null {
  const m = SOURCE.exec(value ?? '');
  if (!m) return null;
  return m[1] ? { kind: 'day', day: m[1] } : { kind: m[2] as 'slot' | 'part', id: m[3]! };
}

/** The event's days, first to last (an event lasts a year at most). */
function eventDays(scope: Scope): string[] {
  const { startDate, endDate } = scope.event;
  const days: string[] = [];
  for (let d = DateTime.fromISO(startDate, { zone: 'UTC' }); d.toISODate()! <= endDate; d = d.plus({ days: 1 })) days.push(d.toISODate()!);
  return days;
}

/** The day a source is on, in this programme (null: it names nothing of it). */
function dayOfSource(programme: Programme, source: Source | null): string | null {
  if (!source) return null;
  if (source.kind === 'day') return source.day;
  const zone = programme.event.timezone;
  if (source.kind === 'slot') {
    const slot = programme.slots.find((s) => s.publicId === source.id);
    return slot ? localDate(slot.startsAt, zone) : null;
  }
  const part = programme.parts.find((p) => p.publicId === source.id);
  return part ? dayOfPart(programme, part) : null;
}

interface CopyFormState {
  status: number;
  day?: string | null | undefined;
  source?: string | undefined;
  toDay?: string | undefined;
  errors?: { source?: string; toDay?: string };
  problem?: { message: string; sessions: string[] } | null;
}

function showCopy(request: FastifyRequest, reply: FastifyReply, state: CopyFormState) {
  const scope = scopeOf(request);
  const { presenter, locale, base } = scope;
  const programme = workingCopy(request);
  const days = eventDays(scope);
  const day = state.day && days.includes(state.day) ? state.day : days[0]!;
  const zone = scope.event.timezone;
  const chosen = state.source ?? `day:${day}`;
  const partLabel = (label: LocalizedText, title: LocalizedText) => translate(locale, 'admin.part.option', {
    label: presenter.text(label)?.text ?? '', title: presenter.text(title)?.text ?? '',
  });
  const sources = [
    { value: `day:${day}`, label: translate(locale, 'copy.source.day', { day: longDate(day, locale) }) },
    ...programme.slots.filter((s) => localDate(s.startsAt, zone) === day)
      .map((s) => ({ value: `slot:${s.publicId}`, label: translate(locale, 'copy.source.slot', { slot: slotLabel(s, scope) }) })),
    ...programme.parts.filter((p) => dayOfPart(programme, p) === day)
      .map((p) => ({ value: `part:${p.publicId}`, label: translate(locale, 'copy.source.part', { part: partLabel(p.label, p.title) }) })),
  ].map((o, i) => ({ ...o, id: `copy-source-${i}`, checked: o.value === chosen }));
  const others = days.filter((d) => d !== day);
  const toDay = state.toDay ?? others.find((d) => d > day) ?? others[0];
  const byId = new Map(programme.sessions.map((s) => [s.publicId, s]));
  return render(request, reply, 'workspace/copy', state.status, {
    title: translate(locale, 'copy.title'),
    section: 'sessions',
    styles: ['bulk.css'],
    dayAction: `${base}/copy`,
    settingsUrl: `${base}/settings`,
    action: `${base}/copy`,
    days: days.map((d) => ({ value: d, label: longDate(d, locale), selected: d === day })),
    sources,
    targets: others.map((d) => ({ value: d, label: longDate(d, locale), selected: d === toDay })),
    errors: state.errors ?? {},
    problem: state.problem ? {
      message: state.problem.message,
      items: state.problem.sessions.flatMap((id) => {
        const found = byId.get(id);
        const text = found ? presenter.text(found.row.title) : null;
        return text ? [{ href: `${base}/sessions/${id}`, text: text.text, code: text.lang !== locale ? text.lang : null }] : [];
      }),
    } : null,
  });
}

/** The form again, with the domain's reason for refusing the copy. */
function refusal(locale: Language, error: BulkRefusal): Pick<CopyFormState, 'errors' | 'problem'> {
  switch (error.reason) {
    case 'same-day': return { errors: { toDay: translate(locale, 'copy.error.sameDay') } };
    case 'not-event-day': return { errors: { toDay: translate(locale, 'copy.error.notEventDay') } };
    case 'nothing-to-copy': return { errors: { source: translate(locale, error.cancelled > 0 ? 'copy.error.onlyCancelled' : 'copy.error.nothing') } };
    case 'clock-change': return { problem: { message: translate(locale, 'copy.error.clockChange'), sessions: error.sessions } };
    default: return { problem: { message: translate(locale, 'copy.error.outside'), sessions: error.sessions } };
  }
}

function copy(request: FastifyRequest, reply: FastifyReply) {
  const body = request.body as { source?: string; toDay?: string };
  const { locale, base } = scopeOf(request);
  const source = parseSource(body.source);
  const again = (state: Omit<CopyFormState, 'day' | 'source' | 'toDay'>) => showCopy(request, reply, {
    ...state, day: dayOfSource(workingCopy(request), source), source: body.source, toDay: body.toDay,
  });
  if (!source) return again({ status: 422, errors: { source: translate(locale, 'copy.error.source') } });
  const toDay = body.toDay ?? '';
  const ctx = writeContext(request);
  let result: CopyResult;
  try {
    if (source.kind === 'day') result = copyDay(ctx, source.day, toDay).data;
    else if (source.kind === 'slot') result = copySlot(ctx, source.id, toDay).data;
    else result = copyPart(ctx, source.id, toDay).data;
  } catch (error) {
    if (error instanceof NotFoundError) return again({ status: 422, errors: { source: translate(locale, 'copy.error.unknownSource') } });
    if (error instanceof BulkRefusal) return again({ status: 422, ...refusal(locale, error) });
    throw error;
  }
  return reply.redirect(`${base}/grid?day=${result.toDay}&saved=${result.skipped > 0 ? 'copiedSkipped' : 'copied'}`, 303);
}

export default async function copyRoutes(app: FastifyInstance) {
  app.get('/events/:slug/copy', { schema: { params: EventParams, querystring: CopyQuery } }, async (request, reply) => {
    const query = request.query as { day?: string; slot?: string; part?: string };
    const programme = workingCopy(request);
    const asked: Source | null = query.slot ? { kind: 'slot', id: query.slot } : query.part ? { kind: 'part', id: query.part } : null;
    const day = dayOfSource(programme, asked);
    // A slot or part the programme has preselects itself and shows its day; else the day asked for.
    if (asked && day) return showCopy(request, reply, { status: 200, day, source: asked.kind === 'slot' ? `slot:${asked.id}` : `part:${asked.id}` });
    return showCopy(request, reply, { status: 200, day: query.day ?? null });
  });
  app.post('/events/:slug/copy', { schema: { params: EventParams, body: CopyForm }, preValidation: app.csrfProtection }, async (request, reply) => copy(request, reply));
}
