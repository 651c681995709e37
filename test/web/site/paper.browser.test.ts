// The programme and the report on paper, printed by a real browser (Debian's Chromium driven by
// playwright-core) to A4 PDFs read back with poppler-utils and zbar-tools: every session title,
// the event, the release and the public address on every page with its number, and on the
// programme's first page a QR code that decodes to the calendar's address. The same code is on
// the page itself, for posters and badges.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { describe, expect, test } from 'vitest';
import { findLatestReleaseOfSlug } from '../../../server/domains/releases/repository.ts';
import { FORUM_2019, makeTempDir } from '../../helpers/app.ts';
import { PHONE, skipWithoutChromium, useChromiumApp } from '../../helpers/chromium.ts';

const PROGRAMME = `/events/${FORUM_2019}`;

/** Whitespace as one space: a title may wrap across lines of the PDF. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe.skipIf(skipWithoutChromium())('the programme and the report on paper', () => {
  const app = useChromiumApp({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const dir = makeTempDir();

  /** Prints a page of the app to an A4 PDF; its text page by page (pdftotext). */
  async function print(pathname: string, name: string): Promise<{ pdf: string; pages: string[] }> {
    const page = await app().openPage();
    await app().visit(page, pathname);
    const pdf = path.join(dir, `${name}.pdf`);
    await page.pdf({ path: pdf, format: 'A4' });
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
    // pdftotext ends each page with a form feed.
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    return { pdf, pages };
  }

  function releaseLabel() {
    const latest = findLatestReleaseOfSlug(app().t.app.db, FORUM_2019)!;
    const date = new Intl.DateTimeFormat('fr', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Africa/Johannesburg' }).format(latest.releasedAt);
    return `version ${latest.name} du ${date}`;
  }

  test('the printed programme has every session title, and on every page the event, the release, the address and its number', async () => {
    const api = (await app().t.app.inject(`/api/v1/events/${FORUM_2019}/programme`)).json() as { parts: { slots: { sessions: { title: { fr: string } }[] }[] }[] };
    const titles = api.parts.flatMap((p) => p.slots.flatMap((s) => s.sessions.map((x) => x.title.fr)));
    expect(titles.length).toBeGreaterThan(5);
    const { pages } = await print(PROGRAMME, 'programme');
    const all = flat(pages.join(' '));
    for (const title of titles) expect(all, title).toContain(flat(title));
    const address = `${app().t.config.publicUrl}${PROGRAMME}`;
    const release = releaseLabel();
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((text, index) => {
      const page = flat(text);
      expect(page, `page ${index + 1}`).toContain("Le forum d'apprentissage de CGLU");
      expect(page, `page ${index + 1}`).toContain(release);
      expect(page, `page ${index + 1}`).toContain(address);
      expect(page, `page ${index + 1}`).toMatch(new RegExp(` ${index + 1} ?/ ?${pages.length} *$`));
    });
    // The legend of the outputs ends it.
    const last = flat(pages.at(-1)!);
    expect(last).toContain('Résultats attendus');
    expect(last).toContain("Évaluer l'état de l'apprentissage au sein du réseau");
  });

  test('the programme\'s first page carries a QR code that decodes to the calendar subscription address', async () => {
    const { pdf, pages } = await print(PROGRAMME, 'programme-qr');
    const feed = `${app().t.config.publicUrl}${PROGRAMME}/calendar.ics`;
    expect(flat(pages[0]!)).toContain(feed);
    const image = path.join(dir, 'first');
    execFileSync('pdftoppm', ['-r', '200', '-f', '1', '-l', '1', '-png', '-singlefile', pdf, image]);
    const decoded = execFileSync('zbarimg', ['--raw', '-q', '-Sdisable', '-Sqrcode.enable', `${image}.png`], { encoding: 'utf8' }).trim();
    expect(decoded).toBe(feed);
  });

  test('the printed report carries the event, the release, the report\'s address and the page numbers', async () => {
    const { pages } = await print(`${PROGRAMME}/report`, 'report');
    const address = `${app().t.config.publicUrl}${PROGRAMME}/report`;
    pages.forEach((text, index) => {
      const page = flat(text);
      expect(page).toContain("Le forum d'apprentissage de CGLU");
      expect(page).toContain(releaseLabel());
      expect(page).toContain(address);
      expect(page).toMatch(new RegExp(` ${index + 1} ?/ ?${pages.length} *$`));
    });
  });

  test('on a phone the subscribe block shows the same code, which a camera reads, and offers it as a file', async () => {
    const page = await app().openPage({ viewport: PHONE });
    await app().visit(page, `${PROGRAMME}?lang=en`);
    const code = page.locator('.subscribe__qr svg');
    await code.scrollIntoViewIfNeeded();
    expect(await code.isVisible()).toBe(true);
    const box = (await code.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(120);
    const shot = path.join(dir, 'screen.png');
    await code.screenshot({ path: shot });
    const decoded = execFileSync('zbarimg', ['--raw', '-q', shot], { encoding: 'utf8' }).trim();
    expect(decoded).toBe(`${app().t.config.publicUrl}${PROGRAMME}/calendar.ics?lang=en`);
    expect(await code.getAttribute('aria-label')).toBe(`QR code of the calendar subscription: ${decoded}`);
    const $ = cheerio.load(await page.content());
    const download = $('.subscribe__qr a[download]').attr('href')!;
    const file = await app().t.app.inject(download);
    expect(file.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    fs.writeFileSync(path.join(dir, 'file.svg'), file.body);
    expect(file.body).toContain('<svg width="600" height="600"');
  });
});
