// The programme editor as cards (/admin/events/:slug/list, and /admin/events/:slug for an event
// with one room at most): the working copy shown as the public page shows it, each session with
// its actions and its conflicts in place, and a link to add a session to a slot. An event with
// several rooms opens on the scheduling grid instead (grid/), where parallel sessions sit side by side.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LiveState, ProgrammeSession } from '../../domains/programme/assemble.ts';
import { conflictsOf } from '../../domains/programme/service.ts';
import { translate } from '../../i18n/index.ts';
import { localClock, toZonedIso } from '../../time.ts';
import type { Presenter } from '../shared/presenter.ts';
import { conflictViews } from './conflicts.ts';
import { firstSteps } from './first-steps.ts';
import { GridQuery, showGrid } from './grid/routes.ts';
import { programmeOptions, render, type Scope, scopeOf, workingCopy } from './kit.ts';
import { EventParams } from '../shared/schemas.ts';

/** Nothing is "on now" in the editor. */
const NOT_LIVE: LiveState = { live: false, phase: 'notStarted', current: new Set(), next: new Set() };

function adminCard(scope: Scope, s: ProgrammeSession, view: ReturnType<Presenter['session']>, conflicts: { id: string; message: string }[]) {
  const { base } = scope;
  const url = `${base}/sessions/${s.publicId}`;
  return {
    ...view,
    editUrl: url,
    duplicateUrl: `${url}/duplicate`,
    statusUrl: `${url}/status`,
    moveUrl: `${url}/move`,
    version: s.row.version,
    nextStatus: s.row.status === 'cancelled' ? 'confirmed' : 'cancelled',
    slotId: s.slot?.publicId ?? '',
    roomId: s.room?.publicId ?? '',
    contributors: view.contributors.map((c, i) => {
      const link = s.contributors[i]!;
      return { ...c, url: link.person ? `${base}/people/${link.person.publicId}` : `${base}/organisations/${link.organisation!.publicId}` };
    }),
    outputs: view.outputs.map((o, i) => ({ ...o, url: `${base}/outputs/${s.outputs[i]!.publicId}` })),
    conflicts,
  };
}

/** The editor, with an alert when a compact form was refused. */
export function showProgramme(request: FastifyRequest, reply: FastifyReply, status: number, alert: string | null) {
  const scope = scopeOf(request);
  const { presenter, base, locale } = scope;
  const programme = workingCopy(request);
  const conflicts = conflictViews(scope, programme, conflictsOf(programme));
  const byId = new Map(programme.sessions.map((s) => [s.publicId, s]));
  const card = (view: ReturnType<Presenter['session']>) => adminCard(scope, byId.get(view.id)!, view, conflicts.bySession.get(view.id) ?? []);
  const schedule = presenter.schedule(programme.sessions, NOT_LIVE);
  const options = programmeOptions(scope, programme);
  const zone = scope.event.timezone;
  const slotIds = new Map(programme.slots.map((s) => [`${toZonedIso(s.startsAt, zone)}|${localClock(s.endsAt, zone)}`, s.publicId]));
  const addHere = (slot: { startIso: string; start: string; end: string }) => {
    const id = slotIds.get(`${slot.startIso}|${slot.end}`);
    return id ? { url: `${base}/sessions/new?slot=${id}`, label: translate(locale, 'admin.programme.addHere', { start: slot.start, end: slot.end }) } : null;
  };
  return render(request, reply, 'workspace/programme', status, {
    title: translate(locale, 'admin.programme.title'),
    section: 'programme',
    // For the switch between the grid and this list.
    styles: ['grid.css'],
    alert,
    firstSteps: firstSteps(scope, programme, request.server.db),
    gridUrl: `${base}/grid`,
    listUrl: `${base}/list`,
    details: presenter.eventDetails(programme),
    conflicts: conflicts.list,
    days: schedule.days.map((day) => ({
      ...day,
      groups: day.groups.map((group) => ({
        ...group,
        slots: group.slots.map((slot) => ({ ...slot, sessions: slot.sessions.map(card), add: addHere(slot) })),
      })),
    })),
    unscheduled: schedule.unscheduled.map(card),
    empty: programme.sessions.length === 0,
    newSessionUrl: `${base}/sessions/new`,
    slotOptions: [{ value: '', label: translate(locale, 'admin.form.unscheduled') }, ...options.slots!].map((o) => ({ value: o.value, label: o.label })),
    roomOptions: [{ value: '', label: translate(locale, 'admin.form.none') }, ...options.rooms!].map((o) => ({ value: o.value, label: o.label, code: o.lang ?? null })),
  });
}

export default async function programmeEditorRoutes(app: FastifyInstance) {
  // Side by side, parallel sessions are read at a glance: an event with several rooms opens on the grid.
  app.get('/events/:slug', { schema: { params: EventParams, querystring: GridQuery } }, async (request, reply) => (
    workingCopy(request).rooms.length > 1 ? showGrid(request, reply, { status: 200 }) : showProgramme(request, reply, 200, null)));
  app.get('/events/:slug/list', { schema: { params: EventParams, querystring: GridQuery } }, async (request, reply) => showProgramme(request, reply, 200, null));
}
