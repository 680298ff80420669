import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModels, openStore, type Store } from '../../src/store/index.js';
import { createApp, ModelRegistry, startServer, type Logger, type RunningServer } from '../../src/serve/index.js';
import { addModel, getJson, tempDir } from './serve-fixture.js';

describe('a server before any model is trained, and its failure modes', () => {
  let dir: string;
  let dbPath: string;
  let store: Store;
  let running: RunningServer;
  const logged: Parameters<Logger>[0][] = [];

  beforeAll(async () => {
    dir = await tempDir();
    dbPath = path.join(dir, 'contrarec.db');
    store = await openStore(dbPath);
    running = await startServer({ host: '127.0.0.1', port: 0, dbPath, watchIntervalMs: 60_000, log: (e) => logged.push(e) });
  });
  afterAll(async () => {
    await running?.close();
    store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 503 saying how to train a model, then serves one once it is active', async () => {
    const noModel = {
      status: 503,
      body: { error: { code: 'no_model', message: 'no model is loaded yet: train one with `contrarec train`, then it is served automatically once active' } },
    };
    expect(await getJson(`${running.url}/v1/items/i1/similar`)).toEqual(noModel);
    expect(await getJson(`${running.url}/v1/users/u1/recommendations`)).toEqual(noModel);
    expect(await getJson(`${running.url}/healthz`)).toEqual({ status: 200, body: { status: 'ok', model: null, items: 0, lastError: null, pid: process.pid } });
    expect(await getJson(`${running.url}/v1/models`)).toEqual({ status: 200, body: { serving: null, models: [] } });
    await addModel(store, dbPath, 'v1', 1, true);
    expect(await running.models.sync()).toBe(true);
    const { status, body } = await getJson(`${running.url}/v1/items/i1/similar?k=3`);
    expect(status).toBe(200);
    expect(body.model).toBe('v1');
    expect(body.items).toHaveLength(3);
  });

  it('refuses writes when no admin token is configured', async () => {
    const res = await getJson(`${running.url}/v1/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer anything' },
      body: JSON.stringify({ interactions: [{ user: 'u1', item: 'i1' }] }),
    });
    expect(res).toEqual({
      status: 403,
      body: { error: { code: 'writes_disabled', message: 'write endpoints are disabled: set CONTRAREC_ADMIN_TOKEN on the server to enable them' } },
    });
  });

  it('turns an unexpected failure into a logged 500 without crashing', async () => {
    // A real failure: the registry's database connection is closed under the app.
    const own = await openStore(dbPath);
    const errors: Parameters<Logger>[0][] = [];
    const app = createApp({
      models: new ModelRegistry(
        async () => {
          throw new Error('unused');
        },
        async () => undefined,
        () => {},
      ),
      listModels: () =>
        listModels(own).then((ms) => ms.map((m) => ({ version: m.version, status: m.status, createdAt: '', finishedAt: null, metrics: m.metrics }))),
      log: (e) => errors.push(e),
    });
    const server = createServer(app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await getJson(`${url}/v1/models`)).status).toBe(200);
      own.close();
      expect(await getJson(`${url}/v1/models`)).toEqual({
        status: 500,
        body: { error: { code: 'internal_error', message: 'internal server error (logged)' } },
      });
      expect(errors).toEqual([
        expect.objectContaining({ level: 'error', msg: 'unhandled error', method: 'GET', url: '/v1/models', error: expect.stringContaining('not open') }),
      ]);
      expect((await getJson(`${url}/healthz`)).status).toBe(200);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
