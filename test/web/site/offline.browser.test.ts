// The programme as an offline app in a real browser (Debian's Chromium driven by playwright-core):
// after one visit the worker keeps the event's pages, which then open with the network cut; a
// release shows once the network is back, and reaches the pages kept; a preview is never kept.
import * as cheerio from 'cheerio';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { FORUM_2019 } from '../../helpers/app.ts';
import { apiAs, eventPath, ok, type SessionOut, type Written } from '../../helpers/api.ts';
import { addUser } from '../../helpers/auth.ts';
import { PHONE, skipWithoutChromium, useChromiumApp } from '../../helpers/chromium.ts';
import { release } from '../../helpers/releases.ts';
import { readProgramme } from '../../../server/domains/releases/reader.ts';

// The tsconfig has no DOM library (this is a server project); the callbacks below run in the page.
declare const document: { documentElement: { getAttribute(name: string): string | null } };
declare function fetch(url: string, init: Record<string, unknown>): Promise<{ status: number; json(): Promise<{ agenda: string }> }>;
declare const URLSearchParams: new (fields: Record<string, string>) => unknown;
declare const navigator: { serviceWorker: { controller: unknown } };
declare const caches: { keys(): Promise<string[]>; open(name: string): Promise<{ keys(): Promise<{ url: string }[]> }> };

const READER: BrowserContextOptions = { viewport: PHONE, locale: 'fr-FR' };
const PROGRAMME = `/events/${FORUM_2019}`;
const SESSIONS = `${eventPath(FORUM_2019)}/sessions`;

/** Waits until the worker has kept the event's list at this revision (or any, without one). */
async function keptList(page: Page, revision?: string): Promise<string> {
  const handle = await page.waitForFunction((wanted) => {
    const kept = document.documentElement.getAttribute('data-offline-revision');
    return kept !== null && (wanted === null || kept === wanted) ? kept : null;
  }, revision ?? null, { timeout: 60_000 });
  return String(await handle.jsonValue());
}

/** The page's title, or null when the browser could not open it at all. */
async function headingOffline(page: Page, url: string): Promise<string | null> {
  try {
    await page.goto(url);
  } catch {
    return null;
  }
  return (await page.locator('main h1').first().textContent())?.trim() ?? null;
}

// On CI the suite runs even without Chromium, so that beforeAll fails it loudly.
describe.skipIf(skipWithoutChromium())('the offline programme in Chromium', () => {
  const started = useChromiumApp(READER);

  /** The heading a page has online, as a French reader gets it. */
  async function headingOnline(url: string): Promise<string> {
    const response = await started().t.app.inject({ url, headers: { 'accept-language': 'fr-FR' } });
    expect(response.statusCode, url).toBe(200);
    return cheerio.load(response.body)('main h1').first().text().trim();
  }

  function sessionIds(): string[] {
    return readProgramme(started().t.app.db, { slug: FORUM_2019 }, 'released').sessions.map((s) => s.publicId);
  }

  async function retitle(id: string, fr: string): Promise<void> {
    const { t } = started();
    const api = apiAs(t.app, (await addUser(t.app, 'organiser', FORUM_2019)).bearer);
    const session = ok<SessionOut>(await api.get(`${SESSIONS}/${id}`));
    ok<Written<SessionOut>>(await api.patch(`${SESSIONS}/${id}`, { title: { ...session.title, fr } }, session.version));
  }

  test('after one visit, the programme, a session never opened, the speakers and the agenda open offline; a release shows once online and reaches the pages kept', async () => {
    const { origin, t } = started();
    const page = await started().openPage();
    await started().visit(page, PROGRAMME);
    const firstRevision = await keptList(page);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    const ids = sessionIds();
    const [ticked, unopened, refreshed] = [ids[0]!, ids[ids.length - 1]!, ids[ids.length - 2]!];
    // An agenda, made as the programme's toggle makes it; its page is then opened once.
    const made = await page.evaluate(async ({ slug, session }) => {
      const response = await fetch('/my', {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ event: slug, session }),
      });
      return { status: response.status, agenda: (await response.json()).agenda };
    }, { slug: FORUM_2019, session: ticked });
    expect(made.status).toBe(201);
    await started().visit(page, made.agenda);
    const agendaHeading = (await page.locator('main h1').first().textContent())!.trim();

    const pages = [PROGRAMME, `${PROGRAMME}/sessions/${unopened}`, `${PROGRAMME}/speakers`, `${PROGRAMME}/outputs`];
    const online = await Promise.all(pages.map(headingOnline));
    expect(online.every((heading) => heading.length > 0)).toBe(true);

    // The worker leaves the rest of the site alone: nothing of the sign-in page or the API is kept.
    await started().visit(page, '/login');
    await started().visit(page, `/api/v1/events/${FORUM_2019}/programme`);
    await started().visit(page, PROGRAMME);
    const kept = await page.evaluate(async () => {
      const all: string[] = [];
      for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) all.push(new URL(request.url).pathname);
      return all;
    });
    expect(kept.filter((pathname) => !/^\/(events\/|my\/|assets\/)/.test(pathname))).toEqual([]);
    expect(kept).toContain(`${PROGRAMME}/sessions/${unopened}`);

    await page.context().setOffline(true);
    for (const [index, url] of pages.entries()) {
      expect(await headingOffline(page, `${origin}${url}`), url).toBe(online[index]);
      const notice = page.locator('.offline-notice[role="status"]');
      expect(await notice.textContent(), url).toMatch(/^Hors ligne\u00a0: version enregistrée le .*\d{4}.*\.$/);
    }
    expect(await headingOffline(page, `${origin}${made.agenda}`)).toBe(agendaHeading);
    expect(await page.locator('main').textContent()).toContain(await headingOnline(`${PROGRAMME}/sessions/${ticked}`));

    // A release changes two titles; with the network back, the page opened shows its new title
    // at once, and the worker keeps the other page anew, which then opens offline with its own.
    await retitle(unopened, 'Titre de la nouvelle version');
    await retitle(refreshed, 'Autre titre de la nouvelle version');
    release(t.app, FORUM_2019);
    await page.context().setOffline(false);
    await page.goto(`${origin}${PROGRAMME}/sessions/${unopened}`);
    expect((await page.locator('main h1').first().textContent())!.trim()).toBe('Titre de la nouvelle version');
    expect(await page.locator('.offline-notice').count()).toBe(0);
    const secondRevision = await keptList(page);
    expect(secondRevision).not.toBe(firstRevision);
    await page.context().setOffline(true);
    expect(await headingOffline(page, `${origin}${PROGRAMME}/sessions/${refreshed}`)).toBe('Autre titre de la nouvelle version');
    await page.context().setOffline(false);
  });

  test('the programme is installable: Chromium finds no installability error in its manifest, icons and worker', async () => {
    const page = await started().openPage();
    await started().visit(page, `${PROGRAMME}?lang=en`);
    await keptList(page);
    const cdp = await page.context().newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    // A test's browser context is a private window, where Chromium installs nothing: that is the one error allowed.
    expect(installabilityErrors.filter((error) => error.errorId !== 'in-incognito')).toEqual([]);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.url).toBe(`${started().origin}${PROGRAMME}/manifest.webmanifest?lang=en`);
    expect(manifest.errors).toEqual([]);
  });

  test('a preview is never kept: offline, the organiser\'s browser shows the released page it kept, never the preview', async () => {
    const { origin, t } = started();
    const page = await started().openPage();
    await started().visit(page, PROGRAMME);
    await keptList(page);
    const session = sessionIds()[1]!;
    const released = await headingOnline(`${PROGRAMME}/sessions/${session}`);

    const organiser = await addUser(t.app, 'organiser', FORUM_2019);
    await page.goto(`${origin}/login`);
    await page.fill('#login-email', organiser.email);
    await page.fill('#login-password', organiser.password);
    await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.locator('main form button[type="submit"]').click()]);
    await retitle(session, 'Titre encore en préparation');
    await started().visit(page, `/admin/events/${FORUM_2019}`);
    await Promise.all([page.waitForURL(`${origin}${PROGRAMME}`), page.locator('.admin-nav__tools form button').click()]);
    await started().visit(page, `/events/${FORUM_2019}/sessions/${session}`);
    expect(await page.locator('.preview-banner').count()).toBe(1);
    expect((await page.locator('main h1').first().textContent())!.trim()).toBe('Titre encore en préparation');
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    await page.context().setOffline(true);
    expect(await headingOffline(page, `${origin}${PROGRAMME}/sessions/${session}`)).toBe(released);
    expect(await page.locator('.preview-banner').count()).toBe(0);
    expect(await page.content()).not.toContain('Titre encore en préparation');
    await page.context().setOffline(false);
  });
});
