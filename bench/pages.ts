// npm run bench: throughput of the public pages, as a ratio of /healthz measured in the
// same run on the same machine, so figures compare across machines. Exits 1 when a page
// falls below its target.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { buildApp } from '../server/app.ts';
import { SESSION_COOKIE } from '../server/web/shared/auth.ts';
import { createApiToken, createUser, startLoginSession } from '../server/domains/accounts/service.ts';
import { loadConfig } from '../server/config.ts';
import { importProgrammeFile } from '../server/domains/interop/service.ts';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SLUG = 'uclg-learning-forum-2019';

/**
 * Minimum throughput of each page as a fraction of the /healthz baseline (an answer that
 * does no work). The whole programme page does about a tenth of that on the machine this
 * was written on: every session, contributor and output of the day, rendered from ten
 * prepared queries.
 */
const TARGETS: Record<string, number> = {
  [`/events/${SLUG}`]: 0.08,
  [`/events/${SLUG}?lang=en`]: 0.08,
  [`/api/v1/events/${SLUG}/programme`]: 0.1,
  [`/events/${SLUG}/speakers`]: 0.1,
  [`/events/${SLUG}/outputs`]: 0.1,
  [`/events/${SLUG}/now`]: 0.15,
  ['/']: 0.2,
  // Exports are written once per release and kept by their ETag.
  [`/events/${SLUG}/schedule.xml`]: 0.2,
  [`/events/${SLUG}/schedule.json`]: 0.2,
  [`/events/${SLUG}/sessions.csv`]: 0.2,
  [`/events/${SLUG}/programme.json`]: 0.2,
};

async function measure(url: string, headers: Record<string, string> = {}, expectNotModified = false): Promise<{ requests: number; p99: number }> {
  // Warm up first, so the JIT has compiled the page's code before it is measured.
  await autocannon({ url, headers, connections: 10, duration: 1 });
  const result = await autocannon({ url, headers, connections: 10, duration: DURATION_SECONDS });
  // autocannon counts a 304 as non-2xx: a revalidation must answer nothing but 304s.
  const wrong = expectNotModified ? result.requests.total - (result.statusCodeStats?.['304']?.count ?? 0) : result.non2xx;
  if (wrong > 0 || result.errors > 0) throw new Error(`${url}: ${wrong} unexpected answers, ${result.errors} errors`);
  return { requests: result.requests.average, p99: result.latency.p99 };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forum-programme-bench-'));
  const app = await buildApp(loadConfig({ DATABASE_PATH: path.join(dir, 'forum.db'), LOG_LEVEL: 'warn' }));
  try {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const programme = (await app.inject(`/api/v1/events/${SLUG}/programme`)).json();
    const sessionPath = `/events/${SLUG}/sessions/${programme.parts[1].slots[1].sessions[0].id}`;
    const targets = { ...TARGETS, [sessionPath]: 0.1 };

    const baseline = await measure(`${address}/healthz`);
    console.log(`baseline /healthz: ${baseline.requests.toFixed(0)} req/s, p99 ${baseline.p99} ms (${DURATION_SECONDS}s, 10 connections)`);
    let failed = false;
    for (const [page, target] of Object.entries(targets)) {
      const figures = await measure(`${address}${page}`);
      const ratio = figures.requests / baseline.requests;
      const ok = ratio >= target;
      failed ||= !ok;
      console.log(`${ok ? 'ok  ' : 'SLOW'} ${page}: ${figures.requests.toFixed(0)} req/s = ${ratio.toFixed(2)}× baseline (target ≥ ${target}×), p99 ${figures.p99} ms`);
    }

    // Calendar apps poll: what matters most is how cheaply an unchanged feed answers 304.
    const feed = `/events/${SLUG}/calendar.ics`;
    const etag = (await app.inject(feed)).headers.etag as string;
    for (const [label, headers, target, notModified] of [
      [feed, {}, 0.15, false],
      [`${feed} (If-None-Match → 304)`, { 'if-none-match': etag }, 0.2, true],
    ] as const) {
      const figures = await measure(`${address}${feed}`, headers, notModified);
      const ratio = figures.requests / baseline.requests;
      const ok = ratio >= target;
      failed ||= !ok;
      console.log(`${ok ? 'ok  ' : 'SLOW'} ${label}: ${figures.requests.toFixed(0)} req/s = ${ratio.toFixed(2)}× baseline (target ≥ ${target}×), p99 ${figures.p99} ms`);
    }
    // An organiser browsing the public programme pays for one indexed lookup of their sign-in.
    const organiser = await createUser(app.db, { email: 'bench@example.org', name: 'Bench', password: 'bench password 1', role: 'organiser', eventId: null }, new Date());
    const sessionCookie = `${SESSION_COOKIE}=${startLoginSession(app.db, organiser.id, new Date()).token}`;
    // A browser keeps the CSRF secret the first page set; autocannon has no cookie jar.
    const firstPage = await app.inject({ url: `/events/${SLUG}`, headers: { cookie: sessionCookie } });
    const csrfSecret = String(firstPage.headers['set-cookie']).match(/_csrf=([^;]+)/)?.[1];
    const cookie = `${sessionCookie}; _csrf=${csrfSecret}`;
    {
      // Compared with the anonymous page measured just before, in the same run.
      const target = 0.85;
      const anonymous = await measure(`${address}/events/${SLUG}`);
      const figures = await measure(`${address}/events/${SLUG}`, { cookie });
      const ratio = figures.requests / anonymous.requests;
      failed ||= ratio < target;
      console.log(`${ratio >= target ? 'ok  ' : 'SLOW'} /events/${SLUG} signed in: ${figures.requests.toFixed(0)} req/s = ${ratio.toFixed(2)}× the anonymous page (${anonymous.requests.toFixed(0)} req/s) (target ≥ ${target}×), p99 ${figures.p99} ms`);
    }

    // Writes are sequential by nature (each names the version the previous one answered):
    // time a run of session edits against a run of /healthz, both in-process.
    {
      const { token } = createApiToken(app.db, organiser.id, 'bench', new Date());
      const sessionUrl = `/api/v1/events/${SLUG}/sessions/${programme.parts[1].slots[1].sessions[0].id}`;
      const runs = 200;
      const timeRun = async (step: (i: number) => Promise<void>) => {
        const start = process.hrtime.bigint();
        for (let i = 0; i < runs; i += 1) await step(i);
        return Number(process.hrtime.bigint() - start) / 1e6 / runs;
      };
      const healthMs = await timeRun(async () => { await app.inject('/healthz'); });
      let etag = (await app.inject({ url: sessionUrl, headers: { authorization: `Bearer ${token}` } })).headers.etag as string;
      const writeMs = await timeRun(async (i) => {
        const response = await app.inject({
          method: 'PATCH', url: sessionUrl, headers: { authorization: `Bearer ${token}`, 'if-match': etag },
          payload: { title: { fr: `Bilan ${i}`, en: `Review ${i}` } },
        });
        if (response.statusCode !== 200) throw new Error(`PATCH answered ${response.statusCode}: ${response.body}`);
        etag = response.headers.etag as string;
      });
      const target = 0.02;
      const ratio = healthMs / writeMs;
      failed ||= ratio < target;
      console.log(`${ratio >= target ? 'ok  ' : 'SLOW'} PATCH a session (sequential, in-process): ${writeMs.toFixed(2)} ms each = ${ratio.toFixed(3)}× /healthz (${healthMs.toFixed(3)} ms) (target ≥ ${target}×)`);

      // A release reads the working copy and the previous release, diffs them and stores a
      // snapshot; then the first public page reads and parses it once. Timed together.
      const releaseMs = await timeRun(async (i) => {
        const edit = await app.inject({
          method: 'PATCH', url: sessionUrl, headers: { authorization: `Bearer ${token}`, 'if-match': etag },
          payload: { title: { fr: `Bilan publié ${i}` } },
        });
        etag = edit.headers.etag as string;
        const released = await app.inject({
          method: 'POST', url: `/api/v1/events/${SLUG}/releases`, headers: { authorization: `Bearer ${token}` }, payload: { name: `bench ${i}` },
        });
        if (released.statusCode !== 201) throw new Error(`release answered ${released.statusCode}: ${released.body}`);
        const page = await app.inject(`/events/${SLUG}`);
        if (!page.body.includes(`Bilan publié ${i}`)) throw new Error('the released title is not on the public page');
      });
      const releaseTarget = 0.01;
      const releaseRatio = healthMs / releaseMs;
      failed ||= releaseRatio < releaseTarget;
      console.log(`${releaseRatio >= releaseTarget ? 'ok  ' : 'SLOW'} edit + release + first public page (sequential, in-process): ${releaseMs.toFixed(2)} ms each = ${releaseRatio.toFixed(4)}× /healthz (target ≥ ${releaseTarget}×)`);
    }

    // The organisers' programme editor assembles the working copy and its conflicts on each view.
    {
      const editor = `/admin/events/${SLUG}`;
      const check = await app.inject({ url: editor, headers: { cookie } });
      if (check.statusCode !== 200) throw new Error(`${editor} answered ${check.statusCode}`);
      // Each session card carries its own move form (every slot, every room): nearly twice the public page's HTML.
      const target = 0.25;
      const publicPage = await measure(`${address}/events/${SLUG}`);
      const figures = await measure(`${address}${editor}`, { cookie });
      const ratio = figures.requests / publicPage.requests;
      failed ||= ratio < target;
      console.log(`${ratio >= target ? 'ok  ' : 'SLOW'} ${editor} (programme editor): ${figures.requests.toFixed(0)} req/s = ${ratio.toFixed(2)}× the public page (${publicPage.requests.toFixed(0)} req/s) (target ≥ ${target}×), p99 ${figures.p99} ms`);
    }

    // Previewing assembles the working copy on each page; the public page reuses the parsed release.
    {
      const preview = `${cookie}; forum_preview=1`;
      const check = await app.inject({ url: `/events/${SLUG}`, headers: { cookie: preview } });
      if (!check.body.includes('preview-banner')) throw new Error('the preview page has no banner');
      const target = 0.5;
      const anonymous = await measure(`${address}/events/${SLUG}`);
      const figures = await measure(`${address}/events/${SLUG}`, { cookie: preview });
      const ratio = figures.requests / anonymous.requests;
      failed ||= ratio < target;
      console.log(`${ratio >= target ? 'ok  ' : 'SLOW'} /events/${SLUG} previewed by an organiser: ${figures.requests.toFixed(0)} req/s = ${ratio.toFixed(2)}× the public page (${anonymous.requests.toFixed(0)} req/s) (target ≥ ${target}×), p99 ${figures.p99} ms`);
    }

    // Conclusions: every session of the day reports, with Markdown in every field. The
    // report renders it all; rendered Markdown is kept, so repeated views mostly assemble.
    {
      const { token } = createApiToken(app.db, organiser.id, 'bench conclusions', new Date());
      const auth = { authorization: `Bearer ${token}` };
      const outputs = (await app.inject({ url: `/api/v1/events/${SLUG}/outputs`, headers: auth })).json().items as { id: string }[];
      const sessions = ((await app.inject({ url: `/api/v1/events/${SLUG}/sessions`, headers: auth })).json().items as { id: string; kind: string }[])
        .filter((s) => s.kind !== 'break' && s.kind !== 'registration');
      const sessionBefore = await measure(`${address}${sessionPath}`);
      const content = (n: number) => ({
        language: 'fr',
        summary: `Les participants ont partagé **leurs pratiques** d'apprentissage entre pairs (${n}).\n\n- une liste\n- de *points*\n\nVoir [le site](https://www.uclg.org).`,
        keyPoints: ['L\'apprentissage est au cœur du mandat de CGLU', 'Les associations nationales sont des relais', 'Les villes intermédiaires veulent des outils'],
        challenges: 'Financer les échanges et **mesurer** leurs effets.',
        recommendations: outputs.slice(0, 3).map((o, i) => ({ text: `Recommandation ${i + 1} : créer un *module* de formation <img src=x onerror=alert(1)>`, outputs: [o.id] })),
        followUps: [{ action: 'Rédiger la note de synthèse', owner: 'Secrétariat mondial', due: '2019-12-15' }],
        participants: 40 + n,
      });
      for (const [n, s] of sessions.entries()) {
        const url = `/api/v1/events/${SLUG}/sessions/${s.id}/conclusions`;
        const saved = await app.inject({ method: 'PUT', url, headers: auth, payload: { baseRevision: 0, content: content(n), submit: true } });
        if (saved.statusCode !== 201) throw new Error(`saving conclusions answered ${saved.statusCode}: ${saved.body}`);
        for (const action of ['validate', 'publish']) await app.inject({ method: 'POST', url: `${url}/transitions`, headers: auth, payload: { action, revision: 1 } });
      }
      const report = `/events/${SLUG}/report`;
      if (!(await app.inject(report)).body.includes('Recommandation 3')) throw new Error('the report lacks the published recommendations');
      const programmePage = await measure(`${address}/events/${SLUG}`);
      for (const [page, target] of [[report, 0.5], [`${report}.md`, 0.5], [`${report}.json`, 0.5]] as const) {
        const figures = await measure(`${address}${page}`);
        const ratio = figures.requests / programmePage.requests;
        failed ||= ratio < target;
        console.log(`${ratio >= target ? 'ok  ' : 'SLOW'} ${page} (${sessions.length} sessions' conclusions): ${figures.requests.toFixed(0)} req/s = ${ratio.toFixed(2)}× the programme page (${programmePage.requests.toFixed(0)} req/s), ${(figures.requests / baseline.requests).toFixed(2)}× /healthz (target ≥ ${target}× the programme page), p99 ${figures.p99} ms`);
      }
      {
        const target = 0.7;
        const figures = await measure(`${address}${sessionPath}`);
        const ratio = figures.requests / sessionBefore.requests;
        failed ||= ratio < target;
        console.log(`${ratio >= target ? 'ok  ' : 'SLOW'} ${sessionPath} with its published conclusions: ${figures.requests.toFixed(0)} req/s = ${ratio.toFixed(2)}× the same page without (${sessionBefore.requests.toFixed(0)} req/s) (target ≥ ${target}×), p99 ${figures.p99} ms`);
      }
      // A rapporteur's save: a new revision in one transaction, after reading the latest.
      {
        const url = `/api/v1/events/${SLUG}/sessions/${sessions[0]!.id}/conclusions`;
        const runs = 200;
        const start = process.hrtime.bigint();
        for (let i = 0; i < runs; i += 1) {
          const saved = await app.inject({ method: 'PUT', url, headers: auth, payload: { baseRevision: i + 1, content: { ...content(0), summary: `Révision ${i}` } } });
          if (saved.statusCode !== 200) throw new Error(`saving conclusions answered ${saved.statusCode}: ${saved.body}`);
        }
        const saveMs = Number(process.hrtime.bigint() - start) / 1e6 / runs;
        const healthStart = process.hrtime.bigint();
        for (let i = 0; i < runs; i += 1) await app.inject('/healthz');
        const healthMs = Number(process.hrtime.bigint() - healthStart) / 1e6 / runs;
        const target = 0.05;
        const ratio = healthMs / saveMs;
        failed ||= ratio < target;
        console.log(`${ratio >= target ? 'ok  ' : 'SLOW'} save conclusions (sequential, in-process): ${saveMs.toFixed(2)} ms each = ${ratio.toFixed(3)}× /healthz (${healthMs.toFixed(3)} ms) (target ≥ ${target}×)`);
      }
    }

    // Imports: writing a whole programme in one transaction. A re-import that changes nothing
    // is what a nightly sync from pretalx does; FOSDEM (773 sessions) shows how it scales.
    {
      const auth = { authorization: `Bearer ${createApiToken(app.db, (await createUser(app.db, {
        email: 'import@bench.example', name: 'Import', password: 'import bench password', role: 'organiser', eventId: null,
      }, new Date())).id, 'bench', new Date()).token}` };
      const document = (await app.inject(`/events/${SLUG}/programme.json`)).json();
      const runs = 50;
      const start = process.hrtime.bigint();
      for (let i = 0; i < runs; i += 1) {
        const imported = await app.inject({ method: 'POST', url: '/api/v1/imports', headers: auth, payload: document });
        if (imported.statusCode !== 200) throw new Error(`import answered ${imported.statusCode}: ${imported.body}`);
      }
      const importMs = Number(process.hrtime.bigint() - start) / 1e6 / runs;
      const healthStart = process.hrtime.bigint();
      for (let i = 0; i < runs; i += 1) await app.inject('/healthz');
      const healthMs = Number(process.hrtime.bigint() - healthStart) / 1e6 / runs;
      const target = 0.01;
      const ratio = healthMs / importMs;
      failed ||= ratio < target;
      const perSession = importMs / document.sessions.length;
      console.log(`${ratio >= target ? 'ok  ' : 'SLOW'} re-import ${SLUG} through the API (${document.sessions.length} sessions, no change): ${importMs.toFixed(2)} ms each = ${ratio.toFixed(3)}× /healthz (target ≥ ${target}×)`);

      const fosdem = path.resolve(process.env.INTEROP_DIR ?? '../shared/interop', 'fosdem-2021.schedule.xml');
      if (fs.existsSync(fosdem)) {
        const bytes = fs.readFileSync(fosdem);
        const fosdemStart = process.hrtime.bigint();
        const report = importProgrammeFile(app.db, bytes, { timezone: 'Europe/Brussels', maxBytes: 10 * 1024 * 1024 }, null);
        const fosdemMs = Number(process.hrtime.bigint() - fosdemStart) / 1e6;
        const scale = fosdemMs / report.counts.sessions / perSession;
        const scaleTarget = 3;
        failed ||= scale > scaleTarget;
        console.log(`${scale <= scaleTarget ? 'ok  ' : 'SLOW'} import FOSDEM 2021 from schedule.xml (${report.counts.sessions} sessions, new): ${fosdemMs.toFixed(0)} ms = ${scale.toFixed(2)}× the cost per session of the re-import above (target ≤ ${scaleTarget}×)`);
      } else {
        console.log(`skip FOSDEM import: ${fosdem} is missing (INTEROP_DIR)`);
      }
    }
    process.exitCode = failed ? 1 : 0;
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
