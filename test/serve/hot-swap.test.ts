import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateModel, insertModel, openStore, type Store } from '../../src/store/index.js';
import { startServer, type Logger, type RunningServer } from '../../src/serve/index.js';
import { addModel, expectedTopK, getJson, tempDir, vectorOf, type TestModel } from './serve-fixture.js';

interface Observed {
  readonly status: number;
  readonly path: string;
  readonly model: string;
  readonly ids: string[];
}

describe('hot swap to a newly active model under concurrent requests', () => {
  let dir: string;
  let dbPath: string;
  let store: Store;
  let running: RunningServer;
  const versions = new Map<string, TestModel>();
  const logged: Parameters<Logger>[0][] = [];

  beforeAll(async () => {
    dir = await tempDir();
    dbPath = path.join(dir, 'contrarec.db');
    store = await openStore(dbPath);
    versions.set('v1', await addModel(store, dbPath, 'v1', 1, true, 2000));
    versions.set('v2', await addModel(store, dbPath, 'v2', 2, false, 2000));
    running = await startServer({ host: '127.0.0.1', port: 0, dbPath, watchIntervalMs: 20, log: (e) => logged.push(e) });
  });
  afterAll(async () => {
    await running?.close();
    store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers every request, each wholly from one version, and ends on the new one', async () => {
    const observed: Observed[] = [];
    let stop = false;
    const client = async (c: number): Promise<void> => {
      for (let n = 0; !stop; n++) {
        const p = n % 2 === 0 ? `/v1/items/i${(c * 37 + n) % 2000}/similar?k=10` : `/v1/users/u${(c + n) % 5}/recommendations?k=10`;
        const { status, body } = await getJson(`${running.url}${p}`);
        observed.push({ status, path: p, model: body?.model, ids: body?.items?.map((h: { id: string }) => h.id) ?? [] });
      }
    };
    // Counts, not durations, so a slow machine changes how long this takes, not what it checks.
    const until = async (done: () => boolean): Promise<void> => {
      while (!done()) await new Promise((r) => setTimeout(r, 5));
    };
    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    await until(() => observed.length >= 50);
    await activateModel(store, 'v2');
    await until(() => observed.filter((o) => o.model === 'v2').length >= 50);
    stop = true;
    await Promise.all(clients);

    expect(observed.filter((o) => o.status !== 200)).toEqual([]);
    expect(new Set(observed.map((o) => o.model))).toEqual(new Set(['v1', 'v2']));
    expect(observed.at(-1)?.model).toBe('v2');
    for (const o of observed) {
      const m = versions.get(o.model)!;
      const itemMatch = /^\/v1\/items\/(i\d+)\//.exec(o.path);
      const expected = itemMatch
        ? expectedTopK(m, vectorOf(m.items, itemMatch[1]), 10, (id) => id === itemMatch[1])
        : expectedTopK(m, vectorOf(m.users, /u\d+/.exec(o.path)![0]), 10);
      expect(o.ids, `${o.path} answered by ${o.model}`).toEqual(expected.map((e) => e.id));
    }
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'serving model', version: 'v2', previous: 'v1' }));
  });

  it('keeps serving the current version when the new one fails to load', async () => {
    await insertModel(store, { version: 'v3', status: 'ready' });
    await activateModel(store, 'v3');
    const missing = path.join(dir, 'models', 'v3', 'manifest.json');
    await running.models.sync();
    expect(await getJson(`${running.url}/healthz`)).toEqual({
      status: 200,
      body: { status: 'ok', model: 'v2', items: 2000, lastError: `${missing}: not found`, pid: process.pid },
    });
    expect((await getJson(`${running.url}/v1/items/i1/similar?k=1`)).body.model).toBe('v2');
    expect(logged).toContainEqual(expect.objectContaining({ level: 'error', msg: 'model load failed; still serving the previous version', version: 'v3' }));
  });
});
