// A stale save flags only the fields that changed: browsers send a textarea's line breaks as
// CRLF while texts are saved with LF, and the same multi-line text must not read as changed.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { $, ADMIN_FORM, formOf, type Fields } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { domainOf } from '../../helpers/domain.ts';

const BASE = `/admin/events/${FORUM_2019}`;

/** What a browser sends for the form as it stands: every textarea's line breaks as CRLF. */
function asBrowserSends(html: string): Fields {
  const $page = $(html);
  const fields = formOf(html, ADMIN_FORM).fields;
  $page(`${ADMIN_FORM} textarea`).each((_, el) => {
    const name = $page(el).attr('name')!;
    fields[name] = $page(el).text().replace(/\n/g, '\r\n');
  });
  return fields;
}

describe('the stale-edit screen', () => {
  let t: TestApp;
  let aminata: TestUser;
  let bongani: TestUser;
  let event: EventRow;

  beforeAll(async () => {
    t = await buildTestApp();
    aminata = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    bongani = await addUser(t.app, 'organiser', FORUM_2019, 'Bongani Zulu');
    event = findEventBySlug(t.app.db, FORUM_2019)!;
  });
  afterAll(async () => { await t.close(); });

  test('after a title changed elsewhere, only the title is flagged, not the unchanged multi-line fields sent with CRLF', async () => {
    const first = await signIn(t.app, aminata);
    const second = await signIn(t.app, bongani);
    const session = (domainOf(t.app).items(event, 'session') as unknown as { id: string; title: { fr: string } }[])
      .find((s) => s.title.fr === 'Evolution des modules et méthodologies')!;
    const url = `${BASE}/sessions/${session.id}`;

    // Multi-line texts typed in a browser: saved with LF.
    const typed = await first.send(await first.open(url), {
      'description.fr': '09:00 Accueil\r\n09:30 Ateliers\r\n\r\n11:00 Synthèse',
      'description.en': '09:00 Welcome\r\n09:30 Workshops',
      'abstract.fr': 'Premier paragraphe.\r\n\r\nSecond paragraphe.',
    }, { form: ADMIN_FORM });
    expect(typed.statusCode).toBe(303);
    expect(domainOf(t.app).item(event, 'session', session.id)).toMatchObject({
      description: { fr: '09:00 Accueil\n09:30 Ateliers\n\n11:00 Synthèse', en: '09:00 Welcome\n09:30 Workshops' },
      abstract: { fr: 'Premier paragraphe.\n\nSecond paragraphe.' },
    });

    const pageOfFirst = await first.open(url);
    const pageOfSecond = await second.open(url);
    expect((await first.send(pageOfFirst, { 'title.fr': 'Modules et méthodes : leur évolution' }, { form: ADMIN_FORM })).statusCode).toBe(303);

    const stale = await second.post(formOf(pageOfSecond, ADMIN_FORM).action, asBrowserSends(pageOfSecond));
    expect(stale.statusCode).toBe(409);
    const html = $(stale.body);
    expect(html('[id$="-current"]').toArray().map((el) => html(el).attr('id'))).toEqual(['f-title-fr-current']);
    // The form shown again keeps the texts as saved, with LF.
    expect(html('#f-description-fr').text()).toBe('09:00 Accueil\n09:30 Ateliers\n\n11:00 Synthèse');
  });
});
