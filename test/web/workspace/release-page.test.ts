// The release page in the organiser's language: conflict warnings translated (names as the
// programme gives them), version 1 credited to the bundled programme in that language, and a
// name field holding the suggested next name, so that "Publier" publishes it at one click.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parts, sessions } from '../../../server/db/schema.ts';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';
import { translate } from '../../../server/i18n/index.ts';
import { $, texts, type Browser } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn } from '../../helpers/auth.ts';

const PAGE = `/admin/events/${FORUM_2019}/releases`;
const FORM = 'main .release-form form';

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  t = await buildTestApp();
  browser = await signIn(t.app, await addUser(t.app, 'organiser'));
});
afterAll(() => t.close());

describe('the release page', () => {
  test('credits version 1 to the bundled programme in French, English and Spanish', async () => {
    const history = async (lang: string) => texts((await browser.get(`${PAGE}?lang=${lang}`)).body, '.release-history__list li');
    expect((await history('fr'))[0]).toContain(' · programme fourni (data/) · ');
    expect((await history('en'))[0]).toContain(' · bundled programme (data/) · ');
    expect((await history('es'))[0]).toContain(' · programa incluido (data/) · ');
    expect((await history('fr'))[0]).toContain(' · programme fourni (data/) · ');
  });

  test('the name field holds the next name "2" as a value, with no placeholder, and the hint under its label', async () => {
    const page = $((await browser.get(PAGE)).body);
    const input = page(`${FORM} #field-name`);
    expect([input.attr('value'), input.attr('placeholder'), input.attr('aria-describedby')]).toEqual(['2', undefined, 'field-name-hint']);
    expect(page(`${FORM} .admin-field`).first().children().map((_, e) => e.tagName).get()).toEqual(['label', 'p', 'input']);
    expect(page('#field-name-hint').text()).toBe('Par exemple «\u00a02\u00a0». Les participants le verront dans la page des modifications.');
  });

  test('warns in French of a room holding two sessions at once, names as in the programme', async () => {
    const event = findEventBySlug(t.app.db, FORUM_2019)!;
    const [first, second] = t.app.db.select().from(sessions).where(eq(sessions.eventId, event.id)).all()
      .filter((s) => s.slotId !== null).sort((a, b) => a.id - b.id);
    t.app.db.update(sessions).set({ slotId: first!.slotId, roomId: first!.roomId }).where(eq(sessions.id, second!.id)).run();
    const warnings = texts((await browser.get(PAGE)).body, '.release-conflicts li');
    // The catalogue's sentence, filled with the programme's names (texts() reads spaces as a reader does, no-break ones included).
    expect(warnings).toEqual([translate('fr', 'admin.conflict.room', { room: 'Salle plénière', first: first!.title.fr!, second: second!.title.fr! }).replace(/\s+/g, ' ')]);
    expect(warnings[0]).toMatch(/^Salle plénière accueille deux sessions en même temps/);
    const english = texts((await browser.get(`${PAGE}?lang=en`)).body, '.release-conflicts li');
    // In English, with the programme's English names.
    expect(english).toEqual([`Plenary room holds two sessions at once: “${first!.title.en}” and “${second!.title.en}”.`]);
    await browser.get(`${PAGE}?lang=fr`);
  });

  test('"Publier" with the form as it comes publishes version "2"', async () => {
    const response = await browser.submit(PAGE, {}, { form: FORM });
    expect(response.statusCode, response.body.slice(0, 1000)).toBe(303);
    expect(response.headers.location).toBe(`${PAGE}?saved=1`);
    const page = await browser.get(`${PAGE}?saved=1`);
    expect(texts(page.body, '.release-history__list li strong')).toEqual(['Version 2', 'Version 1']);
    expect($(page.body)(`${FORM} #field-name`).attr('value')).toBe('3');
  });

  test('lists a part renamed once, as a sentence, among what the next release would change', async () => {
    const event = findEventBySlug(t.app.db, FORUM_2019)!;
    const part = t.app.db.select().from(parts).where(eq(parts.eventId, event.id)).all().find((p) => p.label.fr === 'Deuxième partie')!;
    t.app.db.update(parts).set({ label: { ...part.label, fr: 'Partie 2' } }).where(eq(parts.id, part.id)).run();
    const page = (await browser.get(PAGE)).body;
    expect(texts(page, '.release-pending .change--edit')).toEqual(['Partie « Deuxième partie » renommée « Partie 2 »']);
    expect(texts(page, '.release-pending .change:not(.change--edit)')).toEqual([]);
  });
});
