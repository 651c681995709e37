import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { events, organisations, sessionContributors, sessionOutputs, sessions, timeSlots, expectedOutputs } from '../../../server/db/schema.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser } from '../../helpers/auth.ts';
import { release } from '../../helpers/releases.ts';

describe('queries per page', () => {
  let statements = 0;
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp({ onStatement: () => { statements += 1; } }); });
  afterAll(async () => { await t.close(); });

  async function countFor(url: string, headers: Record<string, string> = {}): Promise<number> {
    statements = 0;
    const response = await t.app.inject({ url, headers });
    expect(response.statusCode, url).toBe(200);
    return statements;
  }

  test('pages run a fixed handful of queries, whatever the number of sessions', async () => {
    const organiser = await addUser(t.app, 'organiser');
    const apiLists = [`/api/v1/events/${FORUM_2019}/sessions`, `/api/v1/events/${FORUM_2019}/people`];
    // A token's first use records when it was last used: not part of what is counted.
    await countFor(apiLists[0]!, organiser.bearer);
    // The working copy is read once per change, then kept assembled: each list is counted as
    // read after a change (every row read again) and as read again (from what is kept).
    const changed = () => t.app.db.$client.prepare("update events set city = city where slug = ?").run(FORUM_2019)
      && t.app.db.$client.prepare('update events set revision = revision + 1 where slug = ?').run(FORUM_2019);
    const coldAndWarm = async (url: string) => {
      changed();
      return [await countFor(url, organiser.bearer), await countFor(url, organiser.bearer)];
    };
    const listsBefore: number[][] = [];
    for (const url of apiLists) listsBefore.push(await coldAndWarm(url));
    const session = t.app.db.select().from(sessions).all().find((s) => s.title.fr === 'Ouverture et bienvenue')!;
    const org = t.app.db.select().from(organisations).all().find((o) => o.name.fr === 'LRGA')!;
    const urls = [
      `/events/${FORUM_2019}`,
      `/events/${FORUM_2019}/sessions/${session.publicId}`,
      `/events/${FORUM_2019}/speakers`,
      `/events/${FORUM_2019}/speakers/${org.publicId}`,
      `/events/${FORUM_2019}/outputs`,
      `/events/${FORUM_2019}/now`,
      `/api/v1/events/${FORUM_2019}/programme`,
      `/events/${FORUM_2019}/calendar.ics`,
      `/events/${FORUM_2019}/speakers/${org.publicId}/calendar.ics`,
    ];
    // The bundled release is read once, then kept parsed.
    await countFor(urls[0]!);
    const before: number[] = [];
    for (const url of urls) before.push(await countFor(url));
    for (const count of before) expect(count).toBeLessThanOrEqual(10);

    // Forty more sessions, each with a contributor and an output.
    const event = t.app.db.select().from(events).where(eq(events.slug, FORUM_2019)).get()!;
    const output = t.app.db.select().from(expectedOutputs).where(eq(expectedOutputs.eventId, event.id)).all()[0]!;
    t.app.db.transaction((tx) => {
      for (let i = 0; i < 40; i += 1) {
        const start = Date.UTC(2019, 10, 12, 16, 0) + i * 60_000;
        const slot = tx.insert(timeSlots).values({ publicId: crypto.randomUUID(), eventId: event.id, startsAt: new Date(start), endsAt: new Date(start + 60_000) }).returning().get();
        const row = tx.insert(sessions).values({ publicId: crypto.randomUUID(), eventId: event.id, slotId: slot.id, kind: 'session', title: { fr: `Session ${i}` }, updatedAt: new Date() }).returning().get();
        tx.insert(sessionContributors).values({ sessionId: row.id, role: 'speaker', organisationId: org.id, position: 0 }).run();
        tx.insert(sessionOutputs).values({ sessionId: row.id, outputId: output.id }).run();
      }
    });
    release(t.app, FORUM_2019);
    // A new release is read once, then kept parsed: the first page after it pays for that.
    await countFor(urls[0]!);
    const after: number[] = [];
    for (const url of urls) after.push(await countFor(url));
    expect(after).toEqual(before);
    // The organisers' lists too: one programme read, not one query per session.
    const listsAfter: number[][] = [];
    for (const url of apiLists) listsAfter.push(await coldAndWarm(url));
    expect(listsAfter).toEqual(listsBefore);
    for (const count of listsAfter.flat()) expect(count).toBeLessThanOrEqual(14);
    for (const [cold, warm] of listsAfter) expect(warm).toBeLessThan(cold!);
  });
});
