// The programme, part, speaker and session pages offer their feed: subscribe, Google
// Calendar, Outlook, download, and the plain address to copy.
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';

interface Offer {
  name: string;
  webcal: string;
  google: string;
  outlook: string;
  download: string;
  address: string;
}

function offerOn(html: string): Offer {
  const $ = cheerio.load(html);
  const block = $('.subscribe');
  expect(block.length).toBe(1);
  const links = block.find('.subscribe__links a').toArray().map((a) => $(a).attr('href')!);
  expect(links).toHaveLength(4);
  const input = block.find('input#feed-address');
  expect(block.find('label[for="feed-address"]').text()).not.toBe('');
  expect(input.attr('readonly')).toBeDefined();
  expect(block.find('.subscribe__links a[download]').attr('href')).toBe(links[3]);
  return {
    name: block.find('.subscribe__name strong').text(),
    webcal: links[0]!, google: links[1]!, outlook: links[2]!, download: links[3]!,
    address: String(input.val()),
  };
}

describe('subscribe links on the pages', () => {
  let t: TestApp;
  let base: string;
  let programme: {
    parts: { id: string; label: { fr: string }; slots: { sessions: { id: string; title: { fr: string } }[] }[] }[];
    rooms: { id: string }[];
  };

  beforeAll(async () => {
    t = await buildTestApp();
    base = t.config.publicUrl;
    programme = (await t.app.inject(`/api/v1/events/${FORUM_2019}/programme`)).json();
  });
  afterAll(async () => { await t.close(); });

  /** Checks that every way of getting the feed points at `path`, and that the feed answers. */
  async function expectOffer(offer: Offer, path: string, name: string) {
    expect(offer.name).toBe(name);
    expect(offer.address).toBe(`${base}${path}`);
    expect(offer.download).toBe(path);
    expect(offer.webcal).toBe(`${base.replace(/^https?:/, 'webcal:')}${path}`);
    const google = new URL(offer.google);
    expect(google.origin).toBe('https://calendar.google.com');
    expect(google.searchParams.get('cid')).toBe(offer.webcal);
    const outlook = new URL(offer.outlook);
    expect(outlook.origin).toBe('https://outlook.live.com');
    expect(outlook.searchParams.get('url')).toBe(offer.address);
    expect(outlook.searchParams.get('name')).toBe(name);
    const feed = await t.app.inject(path);
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(feed.body).toContain(`X-WR-CALNAME:${name}`);
  }

  test('the programme page offers the whole event; filtered on one part, room or speaker, that feed', async () => {
    const title = "Le forum d'apprentissage de CGLU";
    await expectOffer(offerOn((await t.app.inject(`/events/${FORUM_2019}`)).body), `/events/${FORUM_2019}/calendar.ics`, title);

    const part = programme.parts[1]!;
    await expectOffer(offerOn((await t.app.inject(`/events/${FORUM_2019}?part=${part.id}`)).body),
      `/events/${FORUM_2019}/parts/${part.id}/calendar.ics`, `${title} – ${part.label.fr}`);
    const room = programme.rooms[0]!;
    await expectOffer(offerOn((await t.app.inject(`/events/${FORUM_2019}?room=${room.id}&part=&speaker=`)).body),
      `/events/${FORUM_2019}/rooms/${room.id}/calendar.ics`, `${title} – Salle plénière`);
    // Two filters at once match no single feed: the page offers the whole event.
    await expectOffer(offerOn((await t.app.inject(`/events/${FORUM_2019}?room=${room.id}&part=${part.id}`)).body),
      `/events/${FORUM_2019}/calendar.ics`, title);
  });

  test('the block promises nothing it cannot keep: it tells Android users, in their language, which link works there', async () => {
    const android = {
      fr: /^Sur Android, le bouton « S'abonner » ne fait rien .*Google Agenda.*copiez l'adresse/,
      en: /^On Android, the "Subscribe" button does nothing.*Google Calendar.*copy the address/,
      es: /^En Android, el botón «Suscribirse» no hace nada.*Google Calendar.*copie la dirección/,
    };
    for (const [lang, sentence] of Object.entries(android)) {
      const $ = cheerio.load((await t.app.inject(`/events/${FORUM_2019}?lang=${lang}`)).body);
      expect($('.subscribe .subscribe__android').text().replace(/\s+/g, ' ')).toMatch(sentence);
      // The sentence names the buttons by the labels they really have on the page.
      const [subscribe, google] = $('.subscribe__links a').toArray().map((a) => $(a).text().trim());
      const said = $('.subscribe .subscribe__android').text();
      expect(subscribe!.startsWith(said.match(/[«"]\s?([^»"]+?)\s?[»"]/)![1]!)).toBe(true);
      expect(said).toContain(google);
    }
  });

  test('each part has its own page, linked from its heading, with its feed', async () => {
    const part = programme.parts[1]!;
    const $ = cheerio.load((await t.app.inject(`/events/${FORUM_2019}`)).body);
    const heading = $('.part__title a').toArray().find((a) => $(a).text().startsWith(part.label.fr))!;
    expect($(heading).attr('href')).toBe(`/events/${FORUM_2019}/parts/${part.id}`);
    const page = await t.app.inject(`/events/${FORUM_2019}/parts/${part.id}`);
    expect(page.statusCode).toBe(200);
    const titles = cheerio.load(page.body)('.session__title').toArray().map((e) => cheerio.load(e).text().trim());
    expect(titles).toEqual(part.slots.flatMap((s) => s.sessions.map((x) => x.title.fr)));
    await expectOffer(offerOn(page.body), `/events/${FORUM_2019}/parts/${part.id}/calendar.ics`, `Le forum d'apprentissage de CGLU – ${part.label.fr}`);
    expect((await t.app.inject(`/events/${FORUM_2019}/parts/${programme.rooms[0]!.id}`)).statusCode).toBe(404);
  });

  test('speaker and session pages offer their own feed, in the reader\'s language', async () => {
    const speakers = cheerio.load((await t.app.inject(`/events/${FORUM_2019}/speakers`)).body);
    const lrga = speakers('a').toArray().find((a) => speakers(a).text() === 'LRGA')!;
    const speakerUrl = speakers(lrga).attr('href')!;
    const speakerId = speakerUrl.split('/').pop()!;
    await expectOffer(offerOn((await t.app.inject(speakerUrl)).body), `/events/${FORUM_2019}/speakers/${speakerId}/calendar.ics`, "Le forum d'apprentissage de CGLU – LRGA");

    const session = programme.parts[0]!.slots[0]!.sessions[0]!;
    await expectOffer(offerOn((await t.app.inject(`/events/${FORUM_2019}/sessions/${session.id}`)).body),
      `/events/${FORUM_2019}/sessions/${session.id}/calendar.ics`, `Le forum d'apprentissage de CGLU – ${session.title.fr}`);

    // An English reader subscribes to the English feed.
    const english = offerOn((await t.app.inject(`/events/${FORUM_2019}/sessions/${session.id}?lang=en`)).body);
    expect(english.address).toBe(`${base}/events/${FORUM_2019}/sessions/${session.id}/calendar.ics?lang=en`);
    expect(english.name).toBe('The UCLG Learning Forum – Opening and welcome');
    await expectOffer(english, `/events/${FORUM_2019}/sessions/${session.id}/calendar.ics?lang=en`, 'The UCLG Learning Forum – Opening and welcome');
  });
});
