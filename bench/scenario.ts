// What the bench measures under load: each row is one address, fetched once from our server so
// that the floor can replay the very same answer.
import type { FloorRoute } from './floor-server.ts';
import { floorRoute } from './floor.ts';
import { expectStatus, getJson, request, type RawResponse } from './http.ts';
import { selected } from './measure.ts';
import { CONGRESS, FORUM } from './setup.ts';

/** What a row is, which decides its target (report.ts). */
export type RowKind = 'page' | 'feed' | 'xml' | 'api' | 'agenda' | 'revalidation';

export interface Row {
  id: string;
  kind: RowKind;
  path: string;
  headers: Record<string, string>;
  expectedStatus: number;
  /** The size of our answer's body. */
  bytes: number;
}

export interface Plan {
  rows: Row[];
  /** One route per path: a revalidation row adds its ETag to the feed's route. */
  routes: FloorRoute[];
  /** Any of our answers, for the keep-alive timeout the floor copies. */
  sample: RawResponse | null;
  congress: CongressFacts | null;
  notices: string[];
}

export interface CongressFacts {
  firstDay: string;
  dayPage: string;
  dayPageBytes: number;
  /** A session the cold timings edit. */
  sessionId: string;
}

interface ApiSession { id: string }
interface ApiSlot { sessions: ApiSession[] }
interface ApiProgramme {
  event: { startDate: string; endDate: string };
  parts: { slots: ApiSlot[] }[];
  outsideParts: ApiSlot[];
  unscheduled: ApiSession[];
}

function sessionsOf(programme: ApiProgramme): string[] {
  const slots = [...programme.parts.flatMap((p) => p.slots), ...programme.outsideParts];
  return [...slots.flatMap((s) => s.sessions.map((session) => session.id)), ...programme.unscheduled.map((s) => s.id)];
}

/** A personal agenda of `count` sessions spread over the programme, made by the programme page's form. */
async function createAgenda(base: string, slug: string, sessionIds: string[], count: number): Promise<string> {
  const step = Math.max(1, Math.floor(sessionIds.length / count));
  const chosen = sessionIds.filter((_, i) => i % step === 0).slice(0, count);
  const form = new URLSearchParams([['event', slug], ...chosen.map((id): [string, string] => ['session', id])]);
  const answer = await expectStatus(base, '/my', 303, {
    method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
  });
  const token = String(answer.headers.location).match(/^\/my\/([^/?#]+)/)?.[1];
  if (token === undefined) throw new Error(`POST /my redirected to ${answer.headers.location}, not to an agenda`);
  return `/my/${token}/calendar.ics`;
}

export async function plan(base: string, congressLoaded: boolean): Promise<Plan> {
  const notices: string[] = [];
  const candidates: Omit<Row, 'bytes' | 'headers' | 'expectedStatus'>[] = [];
  const forum = (await getJson<ApiProgramme>(base, `/api/v1/events/${FORUM}/programme`)).data;
  const forumSessions = sessionsOf(forum);
  const sessionId = forum.parts[1]?.slots[1]?.sessions[0]?.id ?? forumSessions[0]!;

  candidates.push(
    { id: 'forum programme page', kind: 'page', path: `/events/${FORUM}?lang=fr` },
    { id: 'forum session page', kind: 'page', path: `/events/${FORUM}/sessions/${sessionId}` },
    { id: 'forum feed', kind: 'feed', path: `/events/${FORUM}/calendar.ics` },
    { id: 'forum programme API', kind: 'api', path: `/api/v1/events/${FORUM}/programme` },
    { id: 'forum schedule.xml', kind: 'xml', path: `/events/${FORUM}/schedule.xml` },
    { id: 'forum embed JSON', kind: 'api', path: `/events/${FORUM}/embed.json?lang=fr` },
    { id: 'forum venue screen', kind: 'page', path: `/events/${FORUM}/now` },
  );

  let congress: CongressFacts | null = null;
  let agendaEvent = { slug: FORUM, sessions: forumSessions };
  if (congressLoaded) {
    const programme = (await getJson<ApiProgramme>(base, `/api/v1/events/${CONGRESS}/programme`)).data;
    const sessions = sessionsOf(programme);
    const firstDay = programme.event.startDate;
    const dayPage = `/events/${CONGRESS}?lang=fr&day=${firstDay}`;
    const day = await expectStatus(base, dayPage, 200);
    const lastDay = await expectStatus(base, `/events/${CONGRESS}?lang=fr&day=${programme.event.endDate}`, 200);
    if (firstDay !== programme.event.endDate && day.body.length === lastDay.body.length) {
      notices.push(`the first and the last day of ${CONGRESS} are the same page (${day.body.length} bytes): ?day= seems ignored`);
    }
    congress = { firstDay, dayPage, dayPageBytes: day.body.length, sessionId: sessions[0]! };
    agendaEvent = { slug: CONGRESS, sessions };
    candidates.push(
      { id: 'congress day page', kind: 'page', path: dayPage },
      { id: 'congress feed', kind: 'feed', path: `/events/${CONGRESS}/calendar.ics` },
      { id: 'congress programme API', kind: 'api', path: `/api/v1/events/${CONGRESS}/programme` },
      { id: 'congress schedule.xml', kind: 'xml', path: `/events/${CONGRESS}/schedule.xml` },
    );
  }

  if (selected('agenda feed')) {
    const count = Math.min(40, agendaEvent.sessions.length);
    if (count < 40) notices.push(`the agenda feed has ${count} sessions, all of ${agendaEvent.slug}: 40 need the congress`);
    candidates.push({ id: `agenda feed (${count} sessions)`, kind: 'agenda', path: await createAgenda(base, agendaEvent.slug, agendaEvent.sessions, count) });
  }

  const rows: Row[] = [];
  const routes = new Map<string, FloorRoute>();
  let sample: RawResponse | null = null;
  const ours = async (path: string) => {
    const answer = await expectStatus(base, path, 200);
    sample ??= answer;
    if (!routes.has(path)) routes.set(path, floorRoute(path, answer));
    return answer;
  };
  for (const candidate of candidates) {
    if (!selected(candidate.id)) continue;
    const answer = await ours(candidate.path);
    rows.push({ ...candidate, headers: {}, expectedStatus: 200, bytes: answer.body.length });
  }

  // Calendar apps poll, browsers reload: an unchanged feed should cost one small 304.
  for (const feed of [`/events/${FORUM}/calendar.ics`, ...(congressLoaded ? [`/events/${CONGRESS}/calendar.ics`] : [])]) {
    const id = `${feed.includes(CONGRESS) ? 'congress' : 'forum'} feed 304`;
    if (!selected(id)) continue;
    const full = await ours(feed);
    const etag = String(full.headers.etag);
    routes.set(feed, floorRoute(feed, full, { notModified: true }));
    const headers = { 'if-none-match': etag, 'cache-control': 'no-cache' };
    const check = await request(base, feed, { headers });
    if (check.status !== 304) notices.push(`${feed} with If-None-Match and Cache-Control: no-cache answered ${check.status}, not 304`);
    rows.push({ id, kind: 'revalidation', path: feed, headers, expectedStatus: 304, bytes: check.body.length });
  }
  return { rows, routes: [...routes.values()], sample, congress, notices };
}
