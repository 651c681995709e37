// The scheduling grid's pages (/admin/events/:slug/grid) without JavaScript: the table of a
// known programme cell by cell, its move forms (a move is a change participants' calendars
// see), a stale or refused move, and which view an event opens on.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEvent } from '../../../server/domains/programme/events.ts';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { generateCongressInto } from '../../../server/domains/interop/generator-service.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { $, formOf, texts } from '../../helpers/browser.ts';
import { domainOf } from '../../helpers/domain.ts';
import { release } from '../../helpers/releases.ts';

const SLUG = 'forum-grille';
const BASE = `/admin/events/${SLUG}`;
const NOW = new Date('2027-01-10T10:00:00Z');

describe('the scheduling grid without JavaScript', () => {
  let t: TestApp;
  let organiser: TestUser;
  let event: EventRow;
  const ids: Record<string, string> = {};
  const versionOf = (id: string) => (domainOf(t.app).item(event, 'session', id) as { version: number }).version;
  const ctx = () => ({ db: t.app.db, event, actor: { id: organiser.id, name: 'Aminata Diallo' }, now: NOW });

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    createEvent(t.app.db, { id: organiser.id, name: 'Aminata Diallo' }, {
      slug: SLUG, title: { fr: 'Forum en grille' }, timezone: 'Africa/Johannesburg', defaultLanguage: 'fr', languages: ['fr', 'en'],
      startDate: '2027-03-02', endDate: '2027-03-03',
    }, NOW);
    event = findEventBySlug(t.app.db, SLUG)!;
    const d = domainOf(t.app);
    ids.mandela = d.createItem(ctx(), 'room', { name: { fr: 'Salle Mandela' } }).data.id as string;
    ids.tutu = d.createItem(ctx(), 'room', { name: { fr: 'Salle Tutu' } }).data.id as string;
    ids.lina = d.createItem(ctx(), 'person', { name: 'Lina Haddad' }).data.id as string;
    const add = (name: string, title: string, start: string | null, end: string | null, room: string | null, more: Record<string, unknown> = {}) => {
      ids[name] = d.createSession(ctx(), {
        title: { fr: title }, ...(start ? { start: `2027-03-02T${start}`, end: `2027-03-02T${end}` } : {}), room, ...more,
      }).data.id as string;
    };
    add('opening', 'Ouverture', '09:00', '10:00', ids.mandela, { kind: 'plenary', contributors: [{ role: 'speaker', person: ids.lina }] });
    add('workshop', 'Atelier eau', '09:30', '10:30', ids.tutu, { kind: 'workshop', contributors: [{ role: 'moderator', person: ids.lina }] });
    add('coffee', 'Pause café', '10:30', '11:00', null, { kind: 'break' });
    add('clashA', 'Table ronde A', '11:00', '12:00', ids.mandela);
    add('clashB', 'Table ronde B', '11:30', '12:00', ids.mandela);
    add('later', 'Sans horaire', null, null, null);
  });
  afterAll(async () => { await t.close(); });

  test('the day as a table: rooms as columns, each session a block of its length, the break across the rooms, the clash in one cell, add-here links', async () => {
    const browser = await signIn(t.app, organiser);
    const page = $(await browser.open(`${BASE}/grid?day=2027-03-02`));
    const table = page('table.grid__table');
    expect({ day: table.attr('data-day'), step: table.attr('data-step'), start: table.attr('data-day-start'), end: table.attr('data-day-end') })
      .toEqual({ day: '2027-03-02', step: '15', start: '08:00', end: '18:00' });
    expect(texts(page.html(), 'table.grid__table thead th')).toEqual(['Heure', 'Salle Mandela', 'Salle Tutu']);
    expect(page('thead th').map((_, th) => page(th).attr('data-room') ?? null).get()).toEqual([ids.mandela, ids.tutu]);
    // Each row: its time, then each cell as "room rowspan×colspan: titles", or "+" for an empty one.
    const rows = page('tbody tr').map((_, tr) => [[page(tr).attr('data-time'), ...page(tr).children('td').map((__, td) => {
      const cell = page(td);
      const titles = cell.find('.grid__block h3').map((___, h) => page(h).text()).get();
      const room = cell.attr('data-room') === ids.mandela ? 'M' : cell.attr('data-room') === ids.tutu ? 'T' : '-';
      return titles.length ? `${room} ${cell.attr('rowspan')}×${cell.attr('colspan') ?? 1}: ${titles.join(' + ')}` : `${room} +`;
    }).get()].join(' | ')]).get();
    // The working hours around the sessions: empty cells to add one before the first and after the last.
    const empty = (from: number, to: number) => Array.from({ length: (to - from) * 4 }, (_, i) => {
      const minutes = from * 60 + i * 15;
      return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')} | M + | T +`;
    });
    expect(rows).toEqual([
      ...empty(8, 9),
      '09:00 | M 4×1: Ouverture | T +',
      '09:15 | T +',
      '09:30 | T 4×1: Atelier eau',
      '09:45',
      '10:00 | M +',
      '10:15 | M +',
      '10:30 | - 2×2: Pause café',
      '10:45',
      '11:00 | M 4×1: Table ronde A + Table ronde B | T +',
      '11:15 | T +',
      '11:30 | T +',
      '11:45 | T +',
      ...empty(12, 18),
    ]);
    const clash = page(`#session-${ids.clashA}`);
    expect(clash.hasClass('grid__block--conflict')).toBe(true);
    expect(clash.closest('td').hasClass('grid__cell--conflict')).toBe(true);
    expect(clash.find('.grid__conflict').text().replace(/\s+/g, ' ').trim()).toMatch(/^⚠ Conflit : .*Table ronde A.*Table ronde B/);
    // Lina speaks at the opening while moderating the workshop: both are marked.
    expect(page(`#session-${ids.opening}`).hasClass('grid__block--conflict')).toBe(true);
    expect(page(`#session-${ids.coffee}`).attr('class')).toBe('grid__block grid__block--break');
    const opening = page(`#session-${ids.opening}`);
    expect({
      session: opening.attr('data-session'), start: opening.attr('data-start'), end: opening.attr('data-end'), room: opening.attr('data-room'),
      duration: opening.attr('data-duration'), version: opening.attr('data-version'), link: opening.find('h3 a').attr('href'), when: opening.find('.grid__when').text(),
      people: opening.find('.grid__people').text().replace(/\s+/g, ' '),
    }).toEqual({
      session: ids.opening, start: '09:00', end: '10:00', room: ids.mandela, duration: '60', version: String(versionOf(ids.opening!)), link: `${BASE}/sessions/${ids.opening}`, when: '09:00–10:00',
      people: 'Intervenants : Lina Haddad',
    });
    const add = page(`td[data-room="${ids.tutu}"][data-time="09:15"] a.grid__add`);
    expect(add.attr('href')).toBe(`${BASE}/sessions/new?day=2027-03-02&start=09:15&room=${ids.tutu}&return=grid`);
    expect(add.find('.visually-hidden').text()).toBe('Ajouter une session ici\u00a0: Salle Tutu, 09:15');
    // The days as tabs, the other views, the list of sessions without a time.
    expect(page('nav.grid__days a').map((_, a) => `${page(a).attr('href')}${page(a).attr('aria-current') ? ' (current)' : ''}`).get())
      .toEqual([`${BASE}/grid?day=2027-03-02 (current)`, `${BASE}/grid?day=2027-03-03`]);
    expect(page(`a[href="${BASE}/copy?day=2027-03-02"]`).text()).toBe('Copier cette journée…');
    expect(page(`a[href="${BASE}/list"]`).length).toBeGreaterThan(0);
    expect(texts(page.html(), '[data-unscheduled] li h3')).toEqual(['Sans horaire']);
    expect(page(`[data-unscheduled] #session-${ids.later}`).attr('data-duration')).toBe('60');
    expect(page('[data-grid-status]').text()).toBe('');
    const data = JSON.parse(page('#grid-data').text()) as Record<string, unknown>;
    expect({ ...data, sessions: (data.sessions as unknown[]).length, messages: typeof data.messages }).toEqual({
      slug: SLUG, day: '2027-03-02', zone: 'Africa/Johannesburg', offset: '+02:00', step: 15, dayStart: '08:00', dayEnd: '18:00',
      days: ['2027-03-02', '2027-03-03'], api: `/api/v1/events/${SLUG}`, gridUrl: `${BASE}/grid?day=2027-03-02`,
      rooms: [{ id: ids.mandela, name: 'Salle Mandela' }, { id: ids.tutu, name: 'Salle Tutu' }], sessions: 5,
      unscheduled: [{ id: ids.later, title: 'Sans horaire', version: versionOf(ids.later!), duration: 60, people: [], organisations: [] }], messages: 'object',
    });
    expect((data.sessions as unknown[])[0]).toEqual({
      id: ids.opening, title: 'Ouverture', room: ids.mandela, start: '09:00', end: '10:00', version: versionOf(ids.opening!), kind: 'plenary', status: 'confirmed', people: [ids.lina], organisations: [],
    });
  });

  test('a title cannot close the data script', async () => {
    const d = domainOf(t.app);
    const id = d.createSession(ctx(), { title: { fr: '</script><b>x</b>' }, start: '2027-03-03T09:00', end: '2027-03-03T09:30', room: ids.mandela }).data.id as string;
    const browser = await signIn(t.app, organiser);
    const html = await browser.open(`${BASE}/grid?day=2027-03-03`);
    expect(html).not.toContain('</script><b>');
    const data = JSON.parse($(html)('#grid-data').text()) as { sessions: { id: string; title: string }[] };
    expect(data.sessions.map((s) => [s.id, s.title])).toEqual([[id, '</script><b>x</b>']]);
  });

  test('the move form moves a session to another day, time and room; the next release raises its calendar SEQUENCE', async () => {
    release(t.app, SLUG);
    const sequenceOf = async (id: string) => {
      const ics = await t.app.inject({ method: 'GET', url: `/events/${SLUG}/calendar.ics` });
      expect(ics.statusCode).toBe(200);
      const event = ics.body.replace(/\r\n /g, '').split('BEGIN:VEVENT').find((e) => e.includes(id))!;
      return Number(/SEQUENCE:(\d+)/.exec(event)![1]);
    };
    const before = await sequenceOf(ids.workshop!);
    const browser = await signIn(t.app, organiser);
    const html = await browser.open(`${BASE}/grid?day=2027-03-02`);
    const form = formOf(html, `#session-${ids.workshop} form`);
    expect(form.action).toBe(`${BASE}/grid/sessions/${ids.workshop}/move`);
    expect(form.fields).toMatchObject({ version: String(versionOf(ids.workshop!)), day: '2027-03-02', start: '09:30', duration: '60', room: ids.tutu });
    const moved = await browser.post(form.action, { ...form.fields, day: '2027-03-03', start: '14:00', duration: '45', room: ids.mandela! });
    expect(moved.statusCode, moved.body.slice(0, 2000)).toBe(303);
    expect(moved.headers.location).toBe(`${BASE}/grid?day=2027-03-03&saved=moved#session-${ids.workshop}`);
    expect(domainOf(t.app).item(event, 'session', ids.workshop!)).toMatchObject({ start: '2027-03-03T14:00:00+02:00', end: '2027-03-03T14:45:00+02:00', room: ids.mandela });
    const after = $(await browser.open(moved.headers.location as string));
    expect(after('[data-grid-status]').text()).toBe('Session déplacée.');
    expect(after(`#session-${ids.workshop}`).attr('data-start')).toBe('14:00');
    release(t.app, SLUG);
    expect(await sequenceOf(ids.workshop!)).toBe(before + 1);
    // Unscheduled, placed from the side list: an hour by default, no room.
    const side = formOf(after.html(), `#session-${ids.later} form`);
    const placed = await browser.post(side.action, { ...side.fields, day: '2027-03-03', start: '16:00' });
    expect(placed.statusCode).toBe(303);
    expect(domainOf(t.app).item(event, 'session', ids.later!)).toMatchObject({ start: '2027-03-03T16:00:00+02:00', end: '2027-03-03T17:00:00+02:00', room: null });
    // An end instead of a length (what the grid's script may send): before the start, it is the next morning's.
    const late = formOf(await browser.open(`${BASE}/grid/sessions/${ids.coffee}/move`), `#session-${ids.coffee} form`);
    const evening = await browser.post(late.action, { ...late.fields, duration: '', end: '01:30', day: '2027-03-03', start: '22:00', room: '' });
    expect(evening.statusCode, evening.body.slice(0, 1500)).toBe(303);
    expect(domainOf(t.app).item(event, 'session', ids.coffee!)).toMatchObject({ start: '2027-03-03T22:00:00+02:00', end: '2027-03-04T01:30:00+02:00', room: null });
    const night = $(await browser.open(`${BASE}/grid?day=2027-03-03`));
    expect([night('table.grid__table').attr('data-day-end'), night(`#session-${ids.coffee}`).attr('data-end'), night(`#session-${ids.coffee}`).attr('data-duration')])
      .toEqual(['24:00', '01:30', '210']);
    // The form's address read directly is the session's move form alone, open, with the way back to its day.
    const alone = $(await browser.open(`${BASE}/grid/sessions/${ids.later}/move`));
    expect(alone('h1').text()).toBe('Déplacer «\u00a0Sans horaire\u00a0»');
    expect(alone(`#session-${ids.later} details.grid__move`).attr('open')).toBe('open');
    expect(alone('main a[href$="#session-' + ids.later + '"]').attr('href')).toBe(`${BASE}/grid?day=2027-03-03#session-${ids.later}`);
  });

  test('a move from a stale page changes nothing, and says who changed the session and that the grid shows it as it is now (409)', async () => {
    const browser = await signIn(t.app, organiser);
    const html = await browser.open(`${BASE}/grid?day=2027-03-02`);
    const form = formOf(html, `#session-${ids.clashB} form`);
    const first = await browser.post(form.action, { ...form.fields, start: '12:00', duration: '30' });
    expect(first.statusCode).toBe(303);
    const stale = await browser.post(form.action, { ...form.fields, start: '08:00', duration: '30' });
    expect(stale.statusCode).toBe(409);
    expect(texts(stale.body, '[role="alert"]')).toEqual([
      'Aminata Diallo a modifié cette session depuis que vous avez ouvert la page : rien n\'a été déplacé. La grille la montre telle qu\'elle est maintenant ; recommencez si besoin.',
    ]);
    expect($(stale.body)(`#session-${ids.clashB}`).attr('data-start')).toBe('12:00');
    expect(domainOf(t.app).item(event, 'session', ids.clashB!)).toMatchObject({ start: '2027-03-02T12:00:00+02:00' });
  });

  test('refused values show the grid again (422) with the reason beside the field and what was typed', async () => {
    const browser = await signIn(t.app, organiser);
    const html = await browser.open(`${BASE}/grid?day=2027-03-02`);
    const form = formOf(html, `#session-${ids.opening} form`);
    const version = versionOf(ids.opening!);
    const outside = await browser.post(form.action, { ...form.fields, day: '2027-03-09' });
    expect(outside.statusCode).toBe(422);
    expect(texts(outside.body, '.admin-alert[role="alert"]')).toEqual(['La session « Ouverture » n\'a pas été déplacée : choisissez un des jours de l\'événement.']);
    const again = $(outside.body)(`#session-${ids.opening}`);
    expect(again.find('details').attr('open')).toBe('open');
    expect(again.find(`#move-${ids.opening}-day-error`).text()).toBe('choisissez un des jours de l\'événement.');
    const long = await browser.post(form.action, { ...form.fields, duration: '3' });
    expect(long.statusCode).toBe(422);
    expect($(long.body)(`#move-${ids.opening}-duration`).attr('value')).toBe('3');
    expect($(long.body)(`#move-${ids.opening}-duration`).attr('aria-invalid')).toBe('true');
    // The last day ends at midnight but for a late evening until 06:00: 23:00 for 8 hours is past that.
    const late = await browser.post(form.action, { ...form.fields, day: '2027-03-03', start: '23:00', duration: '480' });
    expect(late.statusCode).toBe(422);
    expect(texts(late.body, '.admin-alert[role="alert"]')[0]).toMatch(/^La session « Ouverture » n'a pas été déplacée : /);
    const room = await browser.post(form.action, { ...form.fields, room: '00000000-0000-4000-8000-000000000000' });
    expect(room.statusCode).toBe(422);
    expect(domainOf(t.app).item(event, 'session', ids.opening!)).toMatchObject({ start: '2027-03-02T09:00:00+02:00', room: ids.mandela, version });
  });

  test('an event with several rooms opens on the grid; with one, on the cards; /list shows the cards; each links to the other', async () => {
    const browser = await signIn(t.app, organiser);
    const home = $(await browser.open(BASE));
    expect(home('table.grid__table').length).toBe(1);
    expect(home('.admin-card').length).toBe(0);
    const list = $(await browser.open(`${BASE}/list`));
    expect(list('table.grid__table').length).toBe(0);
    expect(list(`#session-${ids.opening}.admin-card`).length).toBe(1);
    expect(list(`a[href="${BASE}/grid"]`).text()).toBe('Grille');
    const forum = $(await browser.open(`/admin/events/${FORUM_2019}`));
    expect([forum('table.grid__table').length, forum('.admin-card').length > 0]).toEqual([0, true]);
    const forumGrid = $(await browser.open(`/admin/events/${FORUM_2019}/grid`));
    expect(forumGrid('thead th').length).toBeGreaterThanOrEqual(2);
  });

  test('a generated congress day of 400 sessions in 32 rooms: every session once on its day\'s grid', async () => {
    const report = generateCongressInto(t.app.db, { slug: 'grand-congres', sessions: 400, days: 1, rooms: 32, seed: 7, start: '2027-10-04', timezone: 'Africa/Johannesburg' }, { id: null, name: 'tests' }, NOW);
    const browser = await signIn(t.app, organiser);
    const page = $(await browser.open('/admin/events/grand-congres/grid?day=2027-10-04'));
    const shown = page('table.grid__table .grid__block').map((_, b) => page(b).attr('data-session')).get();
    expect(shown.length).toBe(report.facts.sessions);
    expect(new Set(shown).size).toBe(report.facts.sessions);
    expect(page('thead th').length).toBe(1 + 32 + (page('thead th[data-room=""]').length));
    // Hundreds of forms would hold the page for seconds: each block links to its own move page instead.
    expect([page('form[action$="/move"]').length, page('.grid__block .grid__move-link a').length]).toEqual([0, 400]);
    const first = shown[0]!;
    expect(page(`#session-${first} .grid__move-link a`).attr('href')).toBe(`/admin/events/grand-congres/grid/sessions/${first}/move`);
    const alone = await browser.open(`/admin/events/grand-congres/grid/sessions/${first}/move`);
    const form = formOf(alone, `#session-${first} form`);
    const moved = await browser.post(form.action, { ...form.fields, start: '07:00' });
    expect([moved.statusCode, moved.headers.location]).toEqual([303, `/admin/events/grand-congres/grid?day=2027-10-04&saved=moved#session-${first}`]);
  });
});
