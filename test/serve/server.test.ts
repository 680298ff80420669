import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInteractionLog, openStore, type Store } from '../../src/store/index.js';
import { ingestInteractionRows } from '../../src/ingest/ingest-rows.js';
import { startServer, type Logger, type RunningServer } from '../../src/serve/index.js';
import { addModel, expectedTopK, getJson, tempDir, vectorOf, type TestModel } from './serve-fixture.js';

const TOKEN = 'test-admin-token';

describe('HTTP service against a real server on 127.0.0.1 with a registered model', () => {
  let dir: string;
  let dbPath: string;
  let store: Store;
  let model: TestModel;
  let running: RunningServer;
  let url: string;
  const logged: Parameters<Logger>[0][] = [];
  let seenByU0: string[];

  beforeAll(async () => {
    dir = await tempDir();
    dbPath = path.join(dir, 'contrarec.db');
    store = await openStore(dbPath);
    model = await addModel(store, dbPath, 'v1', 1, true);
    // u0 already interacted with its three nearest items: recommendations must skip them.
    seenByU0 = expectedTopK(model, vectorOf(model.users, 'u0'), 3).map((e) => e.id);
    await ingestInteractionRows(
      store,
      seenByU0.map((item, i) => ({ user: 'u0', item, ts: 1_700_000_000 + i })),
      { source: 'test' },
    );
    running = await startServer({ host: '127.0.0.1', port: 0, dbPath, adminToken: TOKEN, log: (e) => logged.push(e), watchIntervalMs: 60_000 });
    url = running.url;
  });
  afterAll(async () => {
    await running?.close();
    store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('GET /healthz reports the served model', async () => {
    expect(await getJson(`${url}/healthz`)).toEqual({ status: 200, body: { status: 'ok', model: 'v1', items: 200, lastError: null, pid: process.pid } });
  });

  it('GET /v1/items/:id/similar answers the brute-force cosine top-k, itself excluded', async () => {
    for (const id of ['i0', 'i17', 'i199']) {
      const { status, body } = await getJson(`${url}/v1/items/${id}/similar?k=7`);
      expect(status).toBe(200);
      const expected = expectedTopK(model, vectorOf(model.items, id), 7, (other) => other === id);
      expect(body.model).toBe('v1');
      expect(body.items.map((h: { id: string }) => h.id)).toEqual(expected.map((e) => e.id));
      body.items.forEach((h: { score: number }, i: number) => expect(h.score).toBeCloseTo(expected[i].score, 5));
    }
    expect((await getJson(`${url}/v1/items/i3/similar`)).body.items).toHaveLength(10);
    expect((await getJson(`${url}/v1/items/i3/similar?k=1000`)).body.items).toHaveLength(199);
  });

  it('GET /v1/users/:id/recommendations leaves out seen items and still returns k', async () => {
    const q = vectorOf(model.users, 'u0');
    const { status, body } = await getJson(`${url}/v1/users/u0/recommendations?k=5`);
    expect(status).toBe(200);
    expect(body.items.map((h: { id: string }) => h.id)).toEqual(expectedTopK(model, q, 5, (id) => seenByU0.includes(id)).map((e) => e.id));
    const all = await getJson(`${url}/v1/users/u0/recommendations?k=5&exclude_seen=false`);
    expect(all.body.items.map((h: { id: string }) => h.id)).toEqual(expectedTopK(model, q, 5).map((e) => e.id));
    expect(all.body.items.slice(0, 3).map((h: { id: string }) => h.id)).toEqual(seenByU0);
    const u1 = await getJson(`${url}/v1/users/u1/recommendations`);
    expect(u1.body.items.map((h: { id: string }) => h.id)).toEqual(expectedTopK(model, vectorOf(model.users, 'u1'), 10).map((e) => e.id));
    const scores = u1.body.items.map((h: { score: number }) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('refuses a bad k or exclude_seen with a 400 naming the field', async () => {
    const kMessage = { error: { code: 'invalid_request', message: 'query parameter "k": must be an integer from 1 to 1000' } };
    for (const k of ['0', '1001', 'abc', '1.5', '-3', '', '1e2']) {
      expect(await getJson(`${url}/v1/items/i1/similar?k=${k}`)).toEqual({ status: 400, body: kMessage });
    }
    expect(await getJson(`${url}/v1/users/u1/recommendations?k=2&k=3`)).toEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'query parameter "k": given 2 times; give it once' } },
    });
    expect(await getJson(`${url}/v1/users/u1/recommendations?exclude_seen=maybe`)).toEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'query parameter "exclude_seen": must be true or false' } },
    });
  });

  it('answers 404 for an unknown item, user or route, 400 for a path that is not valid percent-encoding', async () => {
    expect(await getJson(`${url}/v1/items/nope/similar`)).toEqual({
      status: 404,
      body: { error: { code: 'unknown_item', message: 'unknown item "nope" (not in model v1, or deleted)' } },
    });
    expect(await getJson(`${url}/v1/users/${encodeURIComponent('new user')}/recommendations`)).toEqual({
      status: 404,
      body: {
        error: {
          code: 'unknown_user',
          message: 'unknown user "new user" (not in model v1); for a new user, POST /v1/recommendations with their features or recent items',
        },
      },
    });
    expect(await getJson(`${url}/v1/items/%E0%A4%A/similar`)).toEqual({
      status: 400,
      body: { error: { code: 'bad_request', message: "Failed to decode param '%E0%A4%A'" } },
    });
    expect(await getJson(`${url}/v2/nothing`)).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'no route for GET /v2/nothing' } } });
  });

  it('routes the top-k paths as express would: HEAD, a trailing slash, any letter case; other methods get 404', async () => {
    const get = await getJson(`${url}/v1/items/i1/similar?k=3`);
    expect(await getJson(`${url}/v1/items/i1/similar/?k=3`)).toEqual(get);
    expect(await getJson(`${url}/V1/Items/i1/Similar?k=3`)).toEqual(get);
    const head = await fetch(`${url}/v1/users/u1/recommendations?k=3`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await head.text()).toBe('');
    expect(await getJson(`${url}/v1/items/i1/similar`, { method: 'DELETE' })).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'no route for DELETE /v1/items/i1/similar' } },
    });
  });

  it('GET /v1/models lists the registry and the served version', async () => {
    const { status, body } = await getJson(`${url}/v1/models`);
    expect(status).toBe(200);
    expect(body.serving).toBe('v1');
    expect(body.models).toEqual([{ version: 'v1', status: 'active', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), finishedAt: null, metrics: {} }]);
  });

  describe('POST /v1/interactions', () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      getJson(`${url}/v1/interactions`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
      });

    it('stores valid rows and reports refused ones', async () => {
      const before = (await readInteractionLog(store)).interactions.user.length;
      const res = await post(JSON.stringify({ interactions: [{ user: 'u4', item: 'i9', ts: 1_700_000_100 }, { user: 'u4' }] }));
      expect(res).toEqual({ status: 200, body: { inserted: 1, duplicates: 0, rejected: [{ index: 1, reason: expect.stringContaining('item') }] } });
      expect((await readInteractionLog(store)).interactions.user.length).toBe(before + 1);
    });

    it('needs the bearer token', async () => {
      const body = JSON.stringify({ interactions: [{ user: 'u4', item: 'i9' }] });
      const missing = await getJson(`${url}/v1/interactions`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      const wrong = await post(body, { authorization: 'Bearer nope' });
      const expected = {
        status: 401,
        body: { error: { code: 'unauthorized', message: 'missing or wrong bearer token (Authorization: Bearer <CONTRAREC_ADMIN_TOKEN>)' } },
      };
      expect(missing).toEqual(expected);
      expect(wrong).toEqual(expected);
    });

    it('answers 400 for malformed JSON or a wrong shape, 413 for an oversized body', async () => {
      expect(await post('{"interactions": [')).toEqual({ status: 400, body: { error: { code: 'malformed_json', message: 'request body is not valid JSON' } } });
      expect(await post('[1, 2]')).toEqual({
        status: 400,
        body: { error: { code: 'invalid_request', message: 'request body: must be a JSON object { "interactions": [...] }' } },
      });
      expect(await post('{"interactions": 3}')).toEqual({
        status: 400,
        body: { error: { code: 'invalid_request', message: 'body field "interactions": must be an array of 1 to 10000 interactions' } },
      });
      expect(await post('{"interactions": [{"user": "u1", "item": 5, "weight": "x"}]}')).toEqual({
        status: 400,
        body: { error: { code: 'invalid_request', message: 'body field "interactions.0": weight: Invalid input: expected number, received string' } },
      });
      const huge = JSON.stringify({ interactions: [{ user: 'u1', item: 'x'.repeat(2 * 1024 * 1024) }] });
      expect(await post(huge)).toEqual({
        status: 413,
        body: { error: { code: 'body_too_large', message: 'request body is larger than the limit of 1048576 bytes' } },
      });
    });
  });

  it('POST /v1/recommendations needs a model with a user tower and a JSON body', async () => {
    const post = (body: string, type = 'application/json') => getJson(`${url}/v1/recommendations`, { method: 'POST', body, headers: { 'content-type': type } });
    expect(await post(JSON.stringify({ recent_items: ['i1'] }))).toEqual({
      status: 501,
      body: { error: { code: 'no_user_tower', message: 'model v1 has no user tower (towers.json) to embed a new user; retrain it with `contrarec train`' } },
    });
    expect(await post('recent_items=i1', 'application/x-www-form-urlencoded')).toEqual({
      status: 415,
      body: { error: { code: 'unsupported_media_type', message: 'send the body as JSON with Content-Type: application/json' } },
    });
    expect(await post('{"recent_items": ["i1"],}')).toEqual({
      status: 400,
      body: { error: { code: 'malformed_json', message: 'request body is not valid JSON' } },
    });
    expect(await post('"just a string"')).toEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'request body: must be a JSON object { "features"?: {...}, "recent_items"?: [...], "k"?: 10 }' } },
    });
  });

  it('exports Prometheus metrics per route, the model version and the index size', async () => {
    await getJson(`${url}/v1/items/i1/similar?k=3`);
    const res = await fetch(`${url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^contrarec_http_requests_total\{route="\/v1\/items\/:id\/similar",method="GET",status="200"\} \d+$/m);
    // 7 bad k values and the id that is not valid percent-encoding.
    expect(text).toMatch(/^contrarec_http_requests_total\{route="\/v1\/items\/:id\/similar",method="GET",status="400"\} 8$/m);
    expect(text).toMatch(/^contrarec_http_request_duration_seconds_bucket\{le="0\.01",route="\/v1\/users\/:id\/recommendations",method="GET"\} \d+$/m);
    expect(text).toContain('contrarec_model_info{version="v1"} 1');
    expect(text).toContain('contrarec_index_size 200');
  });
});
