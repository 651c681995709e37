// The OpenAPI document against the routes the server really has: every route under /api/v1
// is documented, nothing documented is missing, and the document is valid OpenAPI 3.1.
import { Validator } from '@seriousme/openapi-schema-validator';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
  security?: Record<string, string[]>[];
  responses?: Record<string, unknown>;
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown> };
}

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  const routes: string[] = [];

  beforeAll(async () => {
    // Routes are registered while the app is built: the hook has to be there from the start.
    t = await buildTestApp({
      onRoute: (route: RouteOptions) => {
        if (!route.url.startsWith('/api/v1')) return;
        for (const method of [route.method].flat()) {
          if (method !== 'HEAD') routes.push(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
        }
      },
    });
    const response = await t.app.inject('/api/v1/openapi.json');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    doc = response.json() as OpenApiDocument;
  });
  afterAll(async () => { await t.close(); });

  const documented = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));

  test('the hook saw the write API\'s routes', () => {
    expect(routes).toEqual(expect.arrayContaining([
      'POST /api/v1/events',
      'PATCH /api/v1/events/{slug}/sessions/{id}',
      'DELETE /api/v1/events/{slug}/sessions/{id}/rapporteurs/{userId}',
      'GET /api/v1/events/{slug}/audit',
    ]));
    expect(new Set(routes).size).toBe(routes.length);
  });

  test('every route under /api/v1 is in the document', () => {
    expect(routes.filter((route) => !documented().includes(route))).toEqual([]);
  });

  test('every operation of the document is a route under /api/v1', () => {
    expect(documented().filter((operation) => !routes.includes(operation))).toEqual([]);
    expect([...documented()].sort()).toEqual([...routes].sort());
  });

  test('is valid OpenAPI 3.1', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    expect(await validator.validate(structuredClone(doc) as unknown as Parameters<Validator['validate']>[0])).toEqual({ valid: true });
    expect(validator.version).toBe('3.1');
  });

  test('every parameter of a path is declared by each of its operations, as a required path parameter', () => {
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      for (const [method, op] of Object.entries(ops)) {
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path' && p.required === true).map((p) => p.name);
        if ([...declared].sort().join() !== [...names].sort().join()) missing.push(`${method.toUpperCase()} ${path}: ${declared.join()}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('the organisers\' operations declare the bearer token and the session cookie as their security', () => {
    // Public reads: the programme, the release history, published conclusions and the report.
    const publicOperations = [
      'GET /api/v1/events/{slug}/programme', 'GET /api/v1/events/{slug}/releases', 'GET /api/v1/events/{slug}/conclusions', 'GET /api/v1/events/{slug}/report',
      'GET /api/v1/events/{slug}/follow-up', 'GET /api/v1/events/{slug}/feedback',
    ];
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/events/{slug}'))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op.security] as const));
    const organisers = operations.filter(([operation]) => !publicOperations.includes(operation));
    for (const [operation, security] of operations.filter(([o]) => publicOperations.includes(o))) expect(security, operation).toBeUndefined();
    expect(organisers.length).toBeGreaterThan(0);
    for (const [operation, security] of organisers) expect(security, operation).toEqual([{ bearer: [] }, { session: [] }]);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'session']);
  });
});
