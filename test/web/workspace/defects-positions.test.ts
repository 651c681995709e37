// Positions are shown and typed from 1 in the workspace, as organisers count: the first
// output's form says 1, typing 2 puts it second, the first room's row says 1; stored positions
// still start at 0.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { $, ADMIN_FORM, texts } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { domainOf } from '../../helpers/domain.ts';

const BASE = `/admin/events/${FORUM_2019}`;

describe('positions in the workspace', () => {
  let t: TestApp;
  let organiser: TestUser;
  let event: EventRow;
  const outputs = () => domainOf(t.app).items(event, 'output') as unknown as { id: string; position: number }[];

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    event = findEventBySlug(t.app.db, FORUM_2019)!;
  });
  afterAll(async () => { await t.close(); });

  test('an output\'s form shows its position from 1, and what is typed from 1 is stored from 0', async () => {
    const browser = await signIn(t.app, organiser);
    const [first, second] = outputs();
    expect([first!.position, second!.position]).toEqual([0, 1]);
    const page = await browser.open(`${BASE}/outputs/${first!.id}`);
    expect($(page)('#f-position').attr('value')).toBe('1');
    expect(texts(page, '#f-position-hint')).toEqual(['1 pour le premier résultat, 2 pour le deuxième, etc.']);
    expect(texts(await browser.open(`${BASE}/outputs`), `#item-${first!.id} th`)).toEqual(['Résultat 1']);

    const moved = await browser.send(page, { position: '2' }, { form: ADMIN_FORM });
    expect(moved.statusCode).toBe(303);
    expect(outputs().find((o) => o.id === first!.id)!.position).toBe(1);
    expect($(await browser.open(`${BASE}/outputs/${first!.id}`))('#f-position').attr('value')).toBe('2');
  });

  test("the list of rooms shows each room's position from 1", async () => {
    const browser = await signIn(t.app, organiser);
    const rooms = domainOf(t.app).items(event, 'room') as unknown as { id: string; position: number }[];
    const page = await browser.open(`${BASE}/rooms`);
    expect(rooms.map((r) => texts(page, `#item-${r.id} td:nth-of-type(1)`)[0])).toEqual(rooms.map((r) => String(r.position + 1)));
    expect(rooms[0]!.position).toBe(0);
  });
});
