import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, READ_TOKEN, startFullApp, type FullApp } from './full-app-fixture.js';
import { checkJsonSchema } from './json-schema-check.js';

interface Sample {
  readonly url: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const json = (value: unknown): string => JSON.stringify(value);

/**
 * Per documented operation (`METHOD /openapi/path`): a valid request (answered 200) and invalid
 * ones (answered 4xx). The test fails when the document has an operation without samples here.
 */
const CASES: Readonly<Record<string, { readonly valid: Sample; readonly invalid: readonly Sample[] }>> = {
  'GET /healthz': { valid: { url: '/healthz' }, invalid: [{ url: '/healthz?x[]=1' }] },
  'GET /metrics': { valid: { url: '/metrics' }, invalid: [{ url: '/metrics?a=1&a=2' }] },
  'GET /v1/items/{id}/similar': {
    valid: { url: '/v1/items/i3/similar?k=4' },
    invalid: [{ url: '/v1/items/i3/similar?k=0' }, { url: '/v1/items/nobody/similar' }, { url: '/v1/items/%E0%A4%A/similar' }],
  },
  'GET /v1/users/{id}/recommendations': {
    valid: { url: '/v1/users/u0/recommendations?k=4&exclude_seen=false' },
    invalid: [{ url: '/v1/users/u0/recommendations?exclude_seen=maybe' }, { url: '/v1/users/nobody/recommendations' }],
  },
  'POST /v1/recommendations': {
    valid: { url: '/v1/recommendations', body: json({ recent_items: ['i1'], features: { region: 'north' }, k: 3 }) },
    invalid: [
      { url: '/v1/recommendations', body: json({ k: 0, recent_items: [] }) },
      { url: '/v1/recommendations', body: '{"recent_items": [' },
    ],
  },
  'POST /v1/interactions': {
    valid: { url: '/v1/interactions', body: json({ interactions: [{ user: 'u7', item: 'i2', ts: 1_700_000_000 }, { user: 'u7' }] }) },
    invalid: [
      { url: '/v1/interactions', body: json({ interactions: [{ user: 'u9' }] }) },
      { url: '/v1/interactions', body: json({ interactions: 'none' }) },
      { url: '/v1/interactions', body: `{"interactions": ${'['.repeat(100)}${']'.repeat(100)}}` },
      { url: '/v1/interactions', body: json({ interactions: [{ user: 'u7', item: 'i3', ts: 1 }] }), headers: { 'idempotency-key': 'k'.repeat(201) } },
    ],
  },
  'POST /v1/items': {
    valid: { url: '/v1/items', body: json({ items: [{ id: 'i9', features: { tags: ['a', 'b'], year: 1999, region: 'north' } }] }) },
    invalid: [
      { url: '/v1/items', body: json({ items: [{ id: 'i10', features: { bad: { nested: 1 } } }] }) },
      { url: '/v1/items', body: json({ items: [{ features: {} }] }) },
      { url: '/v1/items', body: json({ items: [] }) },
    ],
  },
  // i9: the item the sample above added.
  'DELETE /v1/items/{id}': { valid: { url: '/v1/items/i9' }, invalid: [{ url: '/v1/items/nobody' }] },
  'GET /v1/models': { valid: { url: '/v1/models' }, invalid: [{ url: '/v1/models?x[]=1' }] },
  'GET /console/api/items': { valid: { url: '/console/api/items?q=i' }, invalid: [{ url: '/console/api/items?q=a&ids=b' }, { url: '/console/api/items' }] },
  'GET /console/api/items/{id}': { valid: { url: '/console/api/items/i1' }, invalid: [{ url: '/console/api/items/nobody' }] },
  'GET /console/api/users/{id}': {
    valid: { url: '/console/api/users/u0?history=5' },
    invalid: [{ url: '/console/api/users/u0?history=x' }, { url: '/console/api/users/nobody' }],
  },
  'GET /console/api/models/{version}': { valid: { url: '/console/api/models/v1' }, invalid: [{ url: '/console/api/models/nope' }] },
  'GET /console/api/reports': { valid: { url: '/console/api/reports' }, invalid: [{ url: '/console/api/reports?x[]=1' }] },
  'GET /openapi.json': { valid: { url: '/openapi.json' }, invalid: [{ url: '/openapi.json?x=1&x=2' }] },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is JSON; the test walks it
type Json = any;

describe('the OpenAPI document at GET /openapi.json, against the answers', () => {
  let app: FullApp;
  let base: string;
  let doc: Json;

  const refs = (ref: string): Json => {
    const name = /^#\/components\/schemas\/(\w+)$/.exec(ref)?.[1];
    if (name === undefined || doc.components.schemas[name] === undefined) throw new Error(`unresolvable $ref ${ref}`);
    return doc.components.schemas[name];
  };

  /** Sends a sample as the operation's method, with the token its security asks for unless `token` is false. */
  async function send(method: string, sample: Sample, operation: Json, token = true): Promise<{ status: number; type: string; text: string }> {
    const schemes = (operation.security ?? []).flatMap((s: object) => Object.keys(s));
    const headers: Record<string, string> = { ...sample.headers };
    if (token && schemes.includes('adminToken')) headers['authorization'] = `Bearer ${ADMIN_TOKEN}`;
    if (token && schemes.includes('readToken')) headers['authorization'] = `Bearer ${READ_TOKEN}`;
    if (sample.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${sample.url}`, { method, headers, body: sample.body });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  /** The answer is documented: its status is one of the operation's, its type and body that status's. */
  function expectDocumented(label: string, operation: Json, answer: { status: number; type: string; text: string }): void {
    const response = operation.responses[String(answer.status)];
    expect(response, `${label}: status ${answer.status} is not documented (${answer.text.slice(0, 200)})`).toBeDefined();
    const [[type, content]] = Object.entries(response.content as Record<string, { schema: Json }>);
    expect(answer.type.startsWith(type), `${label}: type ${answer.type}, documented ${type}`).toBe(true);
    if (type === 'application/json') expect(checkJsonSchema(content.schema, JSON.parse(answer.text), refs), label).toEqual([]);
    else expect(typeof answer.text).toBe('string');
  }

  beforeAll(async () => {
    app = await startFullApp();
    base = app.base;
    const res = await fetch(`${base}/openapi.json`);
    expect(res.status).toBe(200);
    doc = await res.json();
  });
  afterAll(async () => app?.close());

  it('is OpenAPI 3.1 with the auth schemes and the limits', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes).toEqual({
      adminToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      readToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    expect(doc.info.description).toContain('1048576 bytes');
    expect(doc.info.description).toContain('32 levels');
    expect(doc.info.description).toContain('512 bytes');
    expect(doc.info.description).toContain('k at most 1000');
    expect(doc.paths['/v1/interactions'].post.security).toEqual([{ adminToken: [] }]);
    expect(doc.paths['/console/api/items'].get.security).toEqual([{ readToken: [] }, {}]);
    expect(doc.paths['/v1/items/{id}/similar'].get.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true, schema: { type: 'string' } }),
      expect.objectContaining({ name: 'k', in: 'query', required: false, schema: expect.objectContaining({ type: 'string', pattern: '^[0-9]{1,9}$' }) }),
    ]);
  });

  it('has samples for exactly the documented operations', () => {
    const operations = Object.entries(doc.paths as Record<string, object>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(operations.sort()).toEqual(Object.keys(CASES).sort());
  });

  it('answers each operation valid request 200 and its invalid ones 4xx, each as documented', async () => {
    for (const [key, { valid, invalid }] of Object.entries(CASES)) {
      const [method, oaPath] = key.split(' ');
      const operation = doc.paths[oaPath][method.toLowerCase()];
      const ok = await send(method, valid, operation);
      expect(ok.status, `${key} ${valid.url}: ${ok.text.slice(0, 300)}`).toBe(200);
      expectDocumented(`${key} valid`, operation, ok);
      // The request body, too, conforms to the document.
      if (valid.body !== undefined) expect(checkJsonSchema(operation.requestBody.content['application/json'].schema, JSON.parse(valid.body), refs)).toEqual([]);
      for (const sample of invalid) {
        const bad = await send(method, sample, operation);
        expect(bad.status, `${key} ${sample.url} ${sample.body ?? ''}`).toBeGreaterThanOrEqual(400);
        expect(bad.status).toBeLessThan(500);
        expectDocumented(`${key} invalid ${sample.url}`, operation, bad);
      }
      if (operation.security !== undefined) {
        const refused = await send(method, valid, operation, false);
        expect(refused.status, `${key} without its token`).toBe(401);
        expectDocumented(`${key} without its token`, operation, refused);
      }
    }
  });
});
