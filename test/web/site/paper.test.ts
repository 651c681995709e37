// The print stylesheet of an event's pages (its margins: event, release, address, page number)
// and its calendar's QR code as a file: exact bytes, the release named as the public sees it,
// a preview never passed off as a release, and an organiser's text unable to break out of a
// CSS string.
import * as cheerio from 'cheerio';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { events } from '../../../server/db/schema.ts';
import { findLatestReleaseOfSlug } from '../../../server/domains/releases/repository.ts';
import { cssString } from '../../../server/web/site/paper.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn } from '../../helpers/auth.ts';
import { formOf } from '../../helpers/browser.ts';
import { release } from '../../helpers/releases.ts';

const PUBLIC = `/events/${FORUM_2019}`;

describe('printed pages of an event', () => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(); });
  afterAll(async () => { await t.close(); });

  const releasedOn = (locale: string) => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Africa/Johannesburg' })
    .format(findLatestReleaseOfSlug(t.app.db, FORUM_2019)!.releasedAt);

  test('the programme\'s margins: its title, the release as the public sees it, its address and the page number', async () => {
    const page = cheerio.load((await t.app.inject(`${PUBLIC}?lang=en`)).body);
    const href = page('link[media="print"][href^="/events/"]').attr('href')!;
    expect(href).toBe(`${PUBLIC}/paper.css?lang=en`);
    const css = await t.app.inject(href);
    expect([css.statusCode, css.headers['content-type'], css.headers['cache-control']]).toEqual([200, 'text/css; charset=utf-8', 'no-cache']);
    const box = 'font-family: system-ui, sans-serif; font-size: 8pt; color: #333;';
    expect(css.body).toBe(`/* Running heads of the printed pages of this event. */
@page {
  margin: 18mm 15mm 16mm;
  @top-left { content: "The UCLG Learning Forum"; ${box} vertical-align: bottom; }
  @top-right { content: "version 1 of ${releasedOn('en-GB')}"; ${box} vertical-align: bottom; }
  @bottom-left { content: "${t.config.publicUrl}${PUBLIC}?lang=en"; ${box} vertical-align: top; }
  @bottom-right { content: counter(page) " / " counter(pages); ${box} vertical-align: top; }
}
`);
    // The first page's block says the same, for browsers without page margin boxes.
    expect(page('.paper-running').text().replace(/\s+/g, ' ').trim())
      .toBe(`The UCLG Learning Forum · version 1 of ${releasedOn('en-GB')} ${t.config.publicUrl}${PUBLIC}?lang=en`);
  });

  test('the report\'s margins carry the report\'s address; in French, the release reads "version N du …"', async () => {
    const page = cheerio.load((await t.app.inject(`${PUBLIC}/report`)).body);
    const href = page('link[media="print"][href^="/events/"]').attr('href')!;
    expect(href).toBe(`${PUBLIC}/paper.css?of=report&lang=fr`);
    const css = (await t.app.inject(href)).body;
    expect(css).toContain(`@top-right { content: "version 1 du ${releasedOn('fr')}";`);
    expect(css).toContain(`@bottom-left { content: "${t.config.publicUrl}${PUBLIC}/report";`);
  });

  test('a new release is named by its name; an organiser\'s preview says it is one', async () => {
    const event = t.app.db.select().from(events).where(eq(events.slug, FORUM_2019)).get()!;
    t.app.db.update(events).set({ subtitle: { fr: 'Édition finale' } }).where(eq(events.id, event.id)).run();
    release(t.app, FORUM_2019, 'Finale');
    expect((await t.app.inject(`${PUBLIC}/paper.css`)).body).toContain(`"version Finale du ${releasedOn('fr')}"`);

    const organiser = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    const browser = await signIn(t.app, organiser);
    const form = formOf(await browser.open(`/admin/events/${FORUM_2019}/releases`), 'main .preview-form');
    expect((await browser.post(form.action, form.hidden)).statusCode).toBe(303);
    const preview = await browser.get(`${PUBLIC}/paper.css?lang=fr`);
    expect(preview.headers['cache-control']).toBe('private, no-store');
    expect(preview.body).toContain('@top-right { content: "aperçu, pas encore publié";');
    const page = cheerio.load((await browser.get(PUBLIC)).body);
    expect(page('.paper-running__release').text()).toBe('aperçu, pas encore publié');
    // The report shows the released programme, preview or not: so does its paper.
    expect((await browser.get(`${PUBLIC}/paper.css?of=report`)).body).toContain('"version Finale du');
  });

  test('an organiser\'s title cannot leave its CSS string', async () => {
    expect(cssString('a "b" \\ c\nd\u0000e')).toBe('"a \\"b\\" \\\\ c\\A de"');
    const event = t.app.db.select().from(events).where(eq(events.slug, FORUM_2019)).get()!;
    t.app.db.update(events).set({ title: { ...event.title, fr: 'Forum"; } body { display: none } @page { x: "\\' } }).where(eq(events.id, event.id)).run();
    release(t.app, FORUM_2019, 'Hostile');
    try {
      const css = (await t.app.inject(`${PUBLIC}/paper.css`)).body;
      expect(css).toContain('@top-left { content: "Forum\\"; } body { display: none } @page { x: \\"\\\\";');
      // Outside its strings, the stylesheet is the usual one: the text opened no rule.
      const outside = css.replace(/"(?:\\.|[^"\\])*"/g, '""');
      expect(outside.match(/[{}]/g)!.join('')).toBe('{{}{}{}{}}');
    } finally {
      t.app.db.update(events).set({ title: event.title }).where(eq(events.id, event.id)).run();
      release(t.app, FORUM_2019, 'Restored');
    }
  });

  test('bad addresses get clear errors', async () => {
    expect((await t.app.inject(`${PUBLIC}/paper.css?of=poster`)).statusCode).toBe(400);
    expect((await t.app.inject(`${PUBLIC}/paper.css?lang=de`)).statusCode).toBe(400);
    expect((await t.app.inject('/events/no-such-event/paper.css')).statusCode).toBe(404);
    expect((await t.app.inject('/events/no-such-event/qr.svg')).statusCode).toBe(404);
  });

  test('the calendar\'s QR code as a file: SVG, named, of the released event\'s feed in the language asked', async () => {
    const file = await t.app.inject(`${PUBLIC}/qr.svg?lang=es`);
    expect([file.statusCode, file.headers['content-type'], file.headers['content-disposition']])
      .toEqual([200, 'image/svg+xml; charset=utf-8', `inline; filename="${FORUM_2019}-calendar-qr.svg"`]);
    const svg = cheerio.load(file.body, { xml: true })('svg');
    expect(svg.attr('role')).toBe('img');
    expect(svg.attr('aria-label')).toBe(`Código QR de la suscripción al calendario: ${t.config.publicUrl}${PUBLIC}/calendar.ics?lang=es`);
    expect(svg.attr('viewBox')).toMatch(/^0 0 \d+ \d+$/);
  });
});
