import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestInteractionRows } from '../../src/ingest/ingest-rows.js';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { ingest, writeInput } from '../ingest/helpers.js';
import { addModel, getJson, tempDir } from './serve-fixture.js';

const READ_TOKEN = 'console-read-token';
const ADMIN_TOKEN = 'console-admin-token';
const unauthorized = {
  status: 401,
  body: { error: { code: 'unauthorized', message: 'missing or wrong bearer token (Authorization: Bearer <CONTRAREC_READ_TOKEN>)' } },
};
const CONSOLE_PATHS = [
  '/console/api/items?q=i1',
  '/console/api/items?ids=i1,i2',
  '/console/api/items/i1',
  '/console/api/users/u0?history=500',
  '/console/api/models/v1',
  '/console/api/reports',
];
const bearer = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });

describe('the console API on a real server on 127.0.0.1', () => {
  let dir: string;
  let dbPath: string;
  let store: Store;
  let guarded: RunningServer;
  let open: RunningServer;

  beforeAll(async () => {
    dir = await tempDir();
    dbPath = path.join(dir, 'contrarec.db');
    store = await openStore(dbPath);
    await addModel(store, dbPath, 'v1', 1, true);
    await ingest(store, 'items', [writeInput(dir, 'items.csv', 'item,title\ni1,One\ni2,Two\n')]);
    await ingestInteractionRows(
      store,
      [
        { user: 'u0', item: 'i1', ts: 1_700_000_000 },
        { user: 'u0', item: 'i2', ts: 1_700_000_100 },
      ],
      { source: 'test' },
    );
    const common = { host: '127.0.0.1', port: 0, dbPath, watchIntervalMs: 60_000, log: () => {} };
    guarded = await startServer({ ...common, readToken: READ_TOKEN, adminToken: ADMIN_TOKEN });
    open = await startServer(common);
  });
  afterAll(async () => {
    await guarded?.close();
    await open?.close();
    store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('with CONTRAREC_READ_TOKEN set, answers 401 without the token or with a wrong one, 200 with it', async () => {
    for (const p of CONSOLE_PATHS) {
      expect(await getJson(`${guarded.url}${p}`), p).toEqual(unauthorized);
      expect(await getJson(`${guarded.url}${p}`, bearer('wrong')), p).toEqual(unauthorized);
      // The admin token is another token: it does not open the console API.
      expect(await getJson(`${guarded.url}${p}`, bearer(ADMIN_TOKEN)), p).toEqual(unauthorized);
      expect((await getJson(`${guarded.url}${p}`, bearer(READ_TOKEN))).status, p).toBe(200);
    }
    const refused = await fetch(`${guarded.url}/console/api/users/u0`);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="contrarec"');
    expect((await getJson(`${guarded.url}/console/api/users/u0?history=500`, bearer(READ_TOKEN))).body).toMatchObject({
      id: 'u0',
      interactions: 2,
      recent: [{ item: { id: 'i2' } }, { item: { id: 'i1' } }],
      model: 'v1',
      inModel: true,
    });
  });

  it('refuses any path under /console/api/ without the token, and 404s an unknown one with it', async () => {
    expect(await getJson(`${guarded.url}/console/api/nothing-here`)).toEqual(unauthorized);
    expect(await getJson(`${guarded.url}/console/api/nothing-here`, bearer(READ_TOKEN))).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'no route for GET /console/api/nothing-here' } },
    });
  });

  it('leaves the public API and the page open whatever the read token', async () => {
    expect((await getJson(`${guarded.url}/v1/items/i1/similar?k=3`)).status).toBe(200);
    expect((await getJson(`${guarded.url}/v1/users/u0/recommendations?k=3`)).status).toBe(200);
    expect((await getJson(`${guarded.url}/v1/models`)).status).toBe(200);
    expect((await getJson(`${guarded.url}/healthz`)).status).toBe(200);
  });

  it('no longer answers the console endpoints under /v1: a 404 with or without the token', async () => {
    for (const p of ['/v1/users/u0', '/v1/users/u0?history=500', '/v1/items?q=i1', '/v1/items/i1', '/v1/models/v1', '/v1/reports']) {
      const notFound = { status: 404, body: { error: { code: 'not_found', message: `no route for GET ${p.split('?')[0]}` } } };
      expect(await getJson(`${guarded.url}${p}`), p).toEqual(notFound);
      expect(await getJson(`${guarded.url}${p}`, bearer(READ_TOKEN)), p).toEqual(notFound);
      expect(await getJson(`${open.url}${p}`), p).toEqual(notFound);
    }
  });

  it('without CONTRAREC_READ_TOKEN the console API is open (any or no Authorization header)', async () => {
    for (const p of CONSOLE_PATHS) {
      expect((await getJson(`${open.url}${p}`)).status, p).toBe(200);
      expect((await getJson(`${open.url}${p}`, bearer('anything'))).status, p).toBe(200);
    }
  });
});
