import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, READ_TOKEN, startFullApp, type FullApp } from './full-app-fixture.js';

/** Runs per property: enough to shake the schemas, few enough that the file takes seconds. */
const NUM_RUNS = 40;

/** Names the routes read, their bracket and odd forms, and arbitrary ones. */
const paramName = fc.oneof(
  fc.constantFrom('k', 'exclude_seen', 'q', 'ids', 'limit', 'history', 'k[]', 'q[x]', '__proto__', 'constructor', ''),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
const paramValue = fc.oneof(
  fc.constantFrom('', '0', '1', '10', '1000', '1001', '-1', '1.5', '1e3', 'true', 'false', 'maybe', 'i1', 'u0', ',,,', '%', '%zz', '%E0%A4%A'),
  fc.integer().map(String),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);
/** A query string: encoded pairs (some repeated), or raw characters that querystring must survive. */
const queryString = fc.oneof(
  fc
    .array(fc.tuple(paramName, paramValue), { maxLength: 5 })
    .map((pairs) => pairs.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&')),
  fc.string({ unit: fc.constantFrom('k', '=', '&', '[', ']', '%', '1', 'a', '+', ';', '.', '2', 'F'), maxLength: 20 }),
);
/** A path parameter: known ids, arbitrary text (encoded), or raw bytes that are not valid percent-encoding. */
const pathParam = fc.oneof(
  fc.constantFrom('i1', 'i3', 'u0', 'v1', 'nobody', '%E0%A4%A', '%00', '..', '%2F', '%25'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
);

const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
/** An interaction-like row: the right keys with wrong or right values, or anything. */
const row = fc.oneof(
  fc.record(
    { user: scalar, item: scalar, ts: fc.oneof(scalar, fc.integer({ min: 0, max: 2_000_000_000 })), event: scalar, weight: scalar, rating: scalar },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 3 }),
);
const bodies: Readonly<Record<string, fc.Arbitrary<string>>> = {
  '/v1/interactions': fc.oneof(
    fc.record({ interactions: fc.array(row, { maxLength: 6 }) }).map((b) => JSON.stringify(b)),
    fc.json({ maxDepth: 4 }),
    fc.string({ maxLength: 40 }),
  ),
  '/v1/recommendations': fc.oneof(
    fc
      .record(
        {
          features: fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(scalar, fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }))), scalar),
          recent_items: fc.oneof(fc.array(fc.oneof(fc.constantFrom('i1', 'i2', 'nope'), fc.string({ maxLength: 6 })), { maxLength: 5 }), scalar),
          k: fc.oneof(fc.integer({ min: -5, max: 1100 }), scalar),
          exclude_seen: fc.oneof(fc.boolean(), scalar),
        },
        { requiredKeys: [] },
      )
      .map((b) => JSON.stringify(b)),
    fc.json({ maxDepth: 4 }),
    fc.string({ maxLength: 40 }),
  ),
};

describe('arbitrary requests to every route of a real server answer 2xx or 4xx, never 5xx', () => {
  let app: FullApp;
  let routes: { method: string; path: string }[];

  beforeAll(async () => {
    app = await startFullApp();
    const doc = (await (await fetch(`${app.base}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
  });
  afterAll(async () => app?.close());

  const headersFor = (path: string, withToken: boolean): Record<string, string> =>
    withToken ? { authorization: `Bearer ${path.startsWith('/console/api/') ? READ_TOKEN : ADMIN_TOKEN}` } : {};

  it('GET routes, with arbitrary path parameters and query strings', async () => {
    for (const { path } of routes.filter((r) => r.method === 'GET')) {
      await fc.assert(
        fc.asyncProperty(pathParam, queryString, fc.boolean(), async (id, query, withToken) => {
          const url = `${app.base}${path.replace(/\{\w+\}/g, id)}?${query}`;
          const res = await fetch(url, { headers: headersFor(path, withToken) });
          const text = await res.text();
          expect(res.status, `GET ${url} → ${text.slice(0, 200)}`).toBeLessThan(500);
          expect(res.status, `GET ${url}`).toBeGreaterThanOrEqual(200);
        }),
        { numRuns: NUM_RUNS },
      );
    }
  });

  it('POST routes, with arbitrary bodies and query strings', async () => {
    for (const { path } of routes.filter((r) => r.method === 'POST')) {
      await fc.assert(
        fc.asyncProperty(bodies[path] ?? fc.json(), queryString, fc.boolean(), async (body, query, withToken) => {
          const url = `${app.base}${path}?${query}`;
          const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headersFor(path, withToken) } });
          const text = await res.text();
          expect(res.status, `POST ${url} ${body.slice(0, 200)} → ${text.slice(0, 200)}`).toBeLessThan(500);
          // Every answer, refusals included, is JSON in the one error shape or the route's own.
          expect(() => JSON.parse(text) as unknown).not.toThrow();
        }),
        { numRuns: NUM_RUNS },
      );
    }
  });
});
