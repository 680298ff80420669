import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestInteractionRows } from '../../src/ingest/index.js';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { openStore } from '../../src/store/index.js';
import { skipWithoutCli, trainedStore } from './cli-fixture.js';
import { getJson } from './serve-fixture.js';

const TOKEN = 'live-secret';
const ids = (answer: { items: { id: string }[] }): string[] => answer.items.map((h) => h.id);

/** POSTs interactions of `user` with `items` (now) with the admin token. */
async function post(url: string, user: string, items: readonly string[]): Promise<number> {
  const res = await fetch(`${url}/v1/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ interactions: items.map((item) => ({ user, item })) }),
  });
  return res.status;
}

describe.skipIf(skipWithoutCli())('live user vectors from the current history', () => {
  let dir: string;
  let db: string;
  let live: RunningServer;
  let asTrained: RunningServer;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'contrarec-live-'));
    ({ db } = await trainedStore(dir));
    const common = { host: '127.0.0.1', port: 0, dbPath: db, adminToken: TOKEN, log: () => {}, watchIntervalMs: 60_000 } as const;
    live = await startServer({ ...common, liveCheckIntervalMs: 50 });
    asTrained = await startServer({ ...common, liveHistory: false });
  }, 180_000);
  afterAll(async () => {
    await live?.close();
    await asTrained?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers the next request from the posted interactions: the posted items left out, the list changed', async () => {
    const before = (await getJson(`${live.url}/v1/users/u5/recommendations?k=10`)).body;
    const watched = ids(before).slice(0, 3);
    expect(await post(live.url, 'u5', watched)).toBe(200);
    const after = (await getJson(`${live.url}/v1/users/u5/recommendations?k=10`)).body;
    expect(after.items).toHaveLength(10);
    for (const id of watched) expect(ids(after)).not.toContain(id);
    expect(after.items.map((h: { score: number }) => h.score)).not.toEqual(before.items.slice(3).map((h: { score: number }) => h.score));
    // Without live history the answer is the trained one: the posted items are still in it.
    expect(ids((await getJson(`${asTrained.url}/v1/users/u5/recommendations?k=10`)).body)).toEqual(ids(before));
  });

  it('answers a user the model never saw but the store holds, and 404s one neither knows', async () => {
    expect(await post(live.url, 'newcomer', ['i1', 'i2'])).toBe(200);
    const res = await getJson(`${live.url}/v1/users/newcomer/recommendations?k=5`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(5);
    for (const id of ['i1', 'i2']) expect(ids(res.body)).not.toContain(id);
    expect((await getJson(`${live.url}/v1/users/newcomer/recommendations?k=5&exclude_seen=false`)).body.items).toHaveLength(5);
    expect((await getJson(`${asTrained.url}/v1/users/newcomer/recommendations`)).status).toBe(404);
    expect(await getJson(`${live.url}/v1/users/nobody/recommendations`)).toEqual({
      status: 404,
      body: {
        error: {
          code: 'unknown_user',
          message: `unknown user "nobody" (not in model ${live.models.current()!.version} nor in the store); for a new user, POST /v1/recommendations with their features or recent items`,
        },
      },
    });
  });

  it("follows another writer's interactions (ingest, another worker) within the check interval", async () => {
    const before = ids((await getJson(`${live.url}/v1/users/u7/recommendations?k=10`)).body);
    const other = await openStore(db);
    try {
      await ingestInteractionRows(other, [{ user: 'u7', item: before[0] }], { source: 'other-writer' });
    } finally {
      await other.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(ids((await getJson(`${live.url}/v1/users/u7/recommendations?k=10`)).body)).not.toContain(before[0]);
  });
});
