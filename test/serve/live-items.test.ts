import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArtifactEmbeddings, type ArtifactEmbeddings } from '../../src/index/index.js';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { activateModel, getActiveModel, openStore, type Store } from '../../src/store/index.js';
import { naiveCosineRanking } from '../index/vector-index-suite.js';
import { CLI, cli, skipWithoutCli, trainedStore } from './cli-fixture.js';
import { getJson } from './serve-fixture.js';

const TOKEN = 'live-items-secret';
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
type Hit = { id: string; score: number };

/** Features as the generated catalogue has them (category, tags, price), varied by `n`. */
const featuresOf = (n: number) => ({ category: ['luzon', 'foutrepok', 'kaitrupe'][n % 3], tags: ['noufi', 'gadripen'].slice(0, 1 + (n % 2)), price: 10 + n });

async function postItems(url: string, ids: readonly string[]): Promise<{ status: number; body: unknown }> {
  const items = ids.map((id, n) => ({ id, features: featuresOf(n) }));
  return getJson(`${url}/v1/items`, { method: 'POST', headers: auth, body: JSON.stringify({ items }) });
}

const similar = async (url: string, id: string, k: number): Promise<{ status: number; model: string; items: Hit[] }> => {
  const res = await getJson(`${url}/v1/items/${id}/similar?k=${k}`);
  return { status: res.status, model: res.body.model, items: res.body.items };
};

describe.skipIf(skipWithoutCli())('live items: added, deleted, and kept across a hot swap', () => {
  let dir: string;
  let store: Store;
  let running: RunningServer;
  const embeddings = new Map<string, ArtifactEmbeddings>();
  let first: string;
  let second: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'contrarec-live-items-'));
    const { db, artifactDir } = await trainedStore(dir);
    first = path.basename(artifactDir);
    // A second version, trained from another seed (so that an answer mixing the two would show), registered but not active.
    cli(['train', '--db', db, '--epochs', '1', '--hidden', '32,16', '--global-negatives', '64', '--batch-size', '256', '--backend', 'cpu', '--seed', '9']);
    cli(['index', '--db', db]);
    const models = path.join(dir, 'models');
    second = (await readdir(models)).find((d) => !d.startsWith('.') && d !== first)!;
    for (const v of [first, second]) embeddings.set(v, await readArtifactEmbeddings(path.join(models, v), 'item'));
    store = await openStore(db);
    running = await startServer({
      host: '127.0.0.1',
      port: 0,
      dbPath: db,
      adminToken: TOKEN,
      log: (e) => e.level === 'error' && console.error(e),
      watchIntervalMs: 100,
      liveCheckIntervalMs: 50,
    });
    expect(running.models.current()!.version).toBe(first);
  }, 240_000);
  afterAll(async () => {
    await running?.close();
    store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers an item added through the API at once, in its nearest neighbour's answers too, and never a deleted one", async () => {
    expect(await postItems(running.url, ['new-1'])).toEqual({ status: 200, body: { inserted: 1, updated: 0, unchanged: 0 } });
    const own = await similar(running.url, 'new-1', 5);
    expect(own.status).toBe(200);
    const nearest = own.items[0];
    const back = await similar(running.url, nearest.id, 80);
    const found = back.items.find((h) => h.id === 'new-1');
    expect(found?.score).toBeCloseTo(nearest.score, 4);
    expect(back.items.filter((h) => h.score > found!.score + 1e-6).length).toBeLessThan(80);

    expect((await getJson(`${running.url}/v1/items/new-1`, { method: 'DELETE', headers: auth })).body).toEqual({ deleted: 'new-1' });
    expect((await similar(running.url, nearest.id, 80)).items.map((h) => h.id)).not.toContain('new-1');
    expect((await similar(running.url, 'new-1', 5)).status).toBe(404);
    expect((await getJson(`${running.url}/v1/users/u3/recommendations?k=80`)).body.items.map((h: Hit) => h.id)).not.toContain('new-1');
    expect((await getJson(`${running.url}/v1/items/new-1`, { method: 'DELETE', headers: auth })).status).toBe(404);
    expect((await postItems(running.url, ['bad\u0000id'])).body).toEqual({
      error: { code: 'invalid_request', message: 'body field "items.0": item id has a control character U+0000 at 3' },
    });
  });

  it('adds an item that `contrarec ingest items` stored (another process) within 5 s', async () => {
    const file = path.join(dir, 'more-items.csv');
    writeFileSync(file, 'item_id,title,category,tags,price\ningested-1,Fresh one,luzon,noufi|gadripen,12.5\n');
    cli(['ingest', 'items', file, '--db', store.path]);
    const deadline = Date.now() + 5000;
    let status = 404;
    while (status !== 200 && Date.now() < deadline) {
      status = (await similar(running.url, 'ingested-1', 3)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(200);
  });

  it('takes out an item that `contrarec items delete` deleted (another process) within 5 s; an unknown id deletes none', async () => {
    const neighbour = (await similar(running.url, 'ingested-1', 1)).items[0].id;
    const listed = async (): Promise<boolean> => (await similar(running.url, neighbour, 80)).items.some((h) => h.id === 'ingested-1');
    expect(await listed()).toBe(true);
    const refused = spawnSync(process.execPath, [CLI, 'items', 'delete', 'ingested-1', 'no-such-item', '--db', store.path], { encoding: 'utf8' });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe('contrarec: no item has the id "no-such-item"; nothing was deleted\n');
    expect(await listed()).toBe(true);
    expect(cli(['items', 'delete', 'ingested-1', 'ingested-1', '--db', store.path])).toBe('deleted 1 item(s)\n');
    const deadline = Date.now() + 5000;
    while ((await listed()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await listed()).toBe(false);
    expect(cli(['items', 'delete', 'ingested-1', '--db', store.path])).toBe('deleted 0 item(s); 1 already deleted\n');
  });

  it('serves 8 clients posting and reading through a hot swap: no 5xx, every answer wholly one version, no live item lost', async () => {
    const statuses: number[] = [];
    const answers: { model: string; items: Hit[] }[] = [];
    const added: string[] = [];
    // Each client runs until the swap has happened and it has answered from the new version a few times.
    const swapped = (): boolean => running.models.current()!.version === second;
    const client = async (c: number): Promise<void> => {
      let after = 0;
      for (let n = 0; after < 6 && n < 600; n++) {
        if (swapped()) after++;
        if (n % 3 === 0) {
          const id = `c${c}-${n}`;
          statuses.push((await postItems(running.url, [id])).status);
          added.push(id);
        } else if (n % 3 === 1) {
          const res = await getJson(`${running.url}/v1/interactions`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify({ interactions: [{ user: `u${c + 1}`, item: `i${n + 1}` }] }),
          });
          statuses.push(res.status, (await getJson(`${running.url}/v1/users/u${c + 1}/recommendations?k=5`)).status);
        } else {
          const res = await similar(running.url, 'i1', 5);
          statuses.push(res.status);
          answers.push(res);
        }
      }
    };
    const clients = Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(client));
    await activateModel(store, second);
    await clients;
    expect(new Set(answers.map((a) => a.model))).toEqual(new Set([first, second]));
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([200]));
    for (const a of answers) {
      // The model's own items of an answer are those the version's brute force ranks first (live items may come between them).
      const e = embeddings.get(a.model)!;
      const row = e.ids.indexOf('i1');
      const exact = naiveCosineRanking(e.ids, e.vectors, e.dim, e.vectors.subarray(row * e.dim, (row + 1) * e.dim)).filter((h) => h.id !== 'i1');
      const own = a.items.filter((h) => e.ids.includes(h.id));
      expect(own.map((h) => h.id)).toEqual(exact.slice(0, own.length).map((h) => h.id));
      own.forEach((h, k) => expect(h.score).toBeCloseTo(exact[k].score, 4));
    }
    expect((await getActiveModel(store))!.version).toBe(second);
    for (const id of added) expect(await similar(running.url, id, 3)).toMatchObject({ status: 200, model: second });
  });
});
