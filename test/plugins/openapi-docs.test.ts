import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PROBLEM_TYPES } from '../../server/plugins/openapi.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { apiAs } from '../helpers/api.ts';
import { addUser } from '../helpers/auth.ts';

describe('the API documentation page', () => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(); });
  afterAll(async () => { await t.close(); });

  test('lists every operation of the OpenAPI document, in the reader\'s language, with no script', async () => {
    const doc = (await t.app.inject('/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const expected = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort();
    const response = await t.app.inject('/api/docs?lang=en');
    expect(response.statusCode).toBe(200);
    const $ = cheerio.load(response.body);
    expect($('html').attr('lang')).toBe('en');
    expect($('h1').text()).toBe('Programme API');
    const listed = $('.api-docs__operation h3 code').map((_, el) => $(el).text().replace(/\s+/g, ' ').trim()).get().sort();
    expect(listed).toEqual(expected);
    expect($('script:not([src])').length).toBe(0);
  });

  test('every problem type a problem document can name has its anchor', async () => {
    const $ = cheerio.load((await t.app.inject('/api/docs')).body);
    expect($('dt[id^="problem-"]').map((_, el) => $(el).attr('id')).get()).toEqual(PROBLEM_TYPES.map((name) => `problem-${name}`));
  });

  test('the problem types the API answers are all documented', async () => {
    const organiser = await addUser(t.app, 'organiser');
    const api = apiAs(t.app, organiser.bearer, { language: null });
    const slugless = await api.patch('/api/v1/events/uclg-learning-forum-2019', {}, null);
    const stale = await api.patch('/api/v1/events/uclg-learning-forum-2019', {}, '"999"');
    const anonymous = await apiAs(t.app, {}, { language: null }).post('/api/v1/events', {});
    const types = [slugless, stale, anonymous].map((r) => (r.json() as { type: string }).type);
    expect(types).toEqual([
      `${t.config.publicUrl}/api/docs#problem-version-required`,
      `${t.config.publicUrl}/api/docs#problem-stale-version`,
      `${t.config.publicUrl}/api/docs#problem-unauthorized`,
    ]);
  });
});
