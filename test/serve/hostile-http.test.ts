import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, startServer, type RunningServer } from '../../src/serve/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { sqliteOf } from '../../src/store/store.js';
import { addModel, getJson, tempDir } from './serve-fixture.js';

const TOKEN = 'hostile-admin';

/** `depth` arrays nested around `inner`: `[[[inner]]]`. */
const nested = (depth: number, inner = '1'): string => '['.repeat(depth) + inner + ']'.repeat(depth);

/** Sends raw bytes and reads until the server closes the connection. */
function rawRequest(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Status line and JSON body of a raw HTTP/1.1 answer. */
function parseRaw(answer: string): { status: string; type: string | undefined; body: unknown } {
  const [head, body] = answer.split('\r\n\r\n', 2);
  const lines = head.split('\r\n');
  const type = lines.find((l) => /^content-type:/i.test(l))?.replace(/^content-type:\s*/i, '');
  return { status: lines[0], type, body: body ? JSON.parse(body) : undefined };
}

describe('hostile requests against a real server', () => {
  let dir: string;
  let store: Store;
  let running: RunningServer;
  let url: string;

  /** Rows of the tables a write touches: a refused request must leave all three as they were. */
  const counts = (): Record<string, number> => {
    const { sqlite } = sqliteOf(store);
    const count = (table: string): number => (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    return { batches: count('ingest_batches'), rejects: count('rejected_rows'), interactions: count('interactions') };
  };
  const post = (route: string, body: string, headers: Record<string, string> = {}) =>
    getJson(`${url}${route}`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers } });

  beforeAll(async () => {
    dir = await tempDir();
    const dbPath = path.join(dir, 'contrarec.db');
    store = await openStore(dbPath);
    await addModel(store, dbPath, 'v1', 1, true);
    running = await startServer({ host: '127.0.0.1', port: 0, dbPath, adminToken: TOKEN, log: () => {}, watchIntervalMs: 60_000 });
    url = running.url;
  });
  afterAll(async () => {
    await running?.close();
    store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('JSON depth and size limits', () => {
    const tooDeep = {
      status: 400,
      body: { error: { code: 'json_too_deep', message: `request body nests arrays and objects deeper than the limit of ${MAX_JSON_DEPTH} levels` } },
    };

    it('answers a row nested 5,000 deep with a 400 naming the limit, and writes nothing, good rows included', async () => {
      const before = counts();
      // A refused row is kept as JSON: this one used to overflow the stack there (a 500, the good row lost).
      const refusedDeep = `{"interactions": [{"user": "u1", "item": "i1", "ts": 1700000000}, {"user": "u2", "x": ${nested(5000)}}]}`;
      expect(await post('/v1/interactions', refusedDeep)).toEqual(tooDeep);
      const acceptedDeep = `{"interactions": [{"user": "u1", "item": "i1", "ts": 1700000000}, {"user": "u2", "item": "i2", "x": ${nested(5000)}}]}`;
      expect(await post('/v1/interactions', acceptedDeep)).toEqual(tooDeep);
      expect(await post('/v1/recommendations', `{"features": {"a": ${nested(5000)}}}`)).toEqual(tooDeep);
      expect(counts()).toEqual(before);
    });

    it('lets a body at the limit through, and refuses one level more', async () => {
      // {"interactions": [ {row with x: [[…]]} ]}: 3 levels around the x arrays.
      const row = (depth: number) => `{"interactions": [{"user": "u1", "item": "i1", "ts": 1700000000, "x": ${nested(depth - 3)}}]}`;
      const atLimit = await post('/v1/interactions', row(MAX_JSON_DEPTH));
      expect(atLimit.status).toBe(200);
      expect(await post('/v1/interactions', row(MAX_JSON_DEPTH + 1))).toEqual(tooDeep);
    });

    it('answers a body over the size limit with a 413 naming it, and writes nothing', async () => {
      const before = counts();
      const huge = JSON.stringify({ interactions: Array.from({ length: 9000 }, (_, i) => ({ user: `u${i}`, item: 'i'.repeat(120), ts: 1_700_000_000 })) });
      expect(await post('/v1/interactions', huge)).toEqual({
        status: 413,
        body: { error: { code: 'body_too_large', message: 'request body is larger than the limit of 1048576 bytes' } },
      });
      expect(counts()).toEqual(before);
    });
  });

  it('refuses an id over 512 bytes in a path, naming the parameter, on the fast path and express', async () => {
    const long = encodeURIComponent('é'.repeat(257)); // 514 bytes
    const expected = { status: 400, body: { error: { code: 'invalid_request', message: 'path parameter "id": at most 512 bytes' } } };
    expect(await getJson(`${url}/v1/items/${long}/similar`)).toEqual(expected);
    expect(await getJson(`${url}/console/api/items/${long}`)).toEqual(expected);
    expect((await getJson(`${url}/v1/items/${'x'.repeat(512)}/similar`)).status).toBe(404);
  });

  it('writes nothing, not even a batch record, for any refused write', async () => {
    const before = counts();
    const refused = [
      await post('/v1/interactions', '{"interactions": [{"user": "u9"}, {"item": "i9"}]}'), // every row refused
      await post('/v1/interactions', '{"interactions": [{"user": "u9", "item": "i9"}]}', { authorization: 'Bearer wrong' }),
      await post('/v1/interactions', '{"interactions": ['),
      await post('/v1/interactions', '{"interactions": []}'),
      await post('/v1/interactions', '{"interactions": [{"user": "u9", "item": "i9"}]}', { 'content-type': 'text/plain' }),
    ];
    expect(refused.map((r) => r.status)).toEqual([400, 401, 400, 400, 415]);
    expect(refused[0].body.error.message).toMatch(/^body field "interactions\.0": item/);
    expect(counts()).toEqual(before);
  });

  describe("node's own refusals", () => {
    it('answers a malformed request line with a JSON 400', async () => {
      const answer = parseRaw(await rawRequest(url, 'NOT A REQUEST\r\n\r\n'));
      expect(answer).toEqual({
        status: 'HTTP/1.1 400 Bad Request',
        type: 'application/json; charset=utf-8',
        body: { error: { code: 'bad_request', message: expect.stringMatching(/^malformed HTTP request \(HPE_/) } },
      });
    });

    it('answers headers over the limit with a JSON 431 naming it', async () => {
      const answer = parseRaw(await rawRequest(url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
      expect(answer).toEqual({
        status: 'HTTP/1.1 431 Request Header Fields Too Large',
        type: 'application/json; charset=utf-8',
        body: { error: { code: 'headers_too_large', message: 'request headers are larger than the limit of 16384 bytes' } },
      });
    });
  });
});
