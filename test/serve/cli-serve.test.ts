import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArtifactEmbeddings } from '../../src/index/index.js';
import { loadArtifact } from '../../src/model/artifact/load-artifact.js';
import { selectBackend } from '../../src/kernels/select-backend.js';
import { openStore } from '../../src/store/index.js';
import { naiveCosineRanking } from '../index/vector-index-suite.js';
import { getJson, seenItemsOf } from './serve-fixture.js';
import { serveCli, skipWithoutCli, stopChild, trainedStore } from './cli-fixture.js';

// The path a person takes: generate → ingest → train → index → serve → curl, through the built
// CLI (`npm run build` first; `npm test` does), with a small model really trained by TF.js.
const serve = serveCli;
const stop = stopChild;

describe.skipIf(skipWithoutCli())('contrarec generate → ingest → train → index → serve', () => {
  let dir: string;
  let db: string;
  let artifactDir: string;
  let server: { url: string; child: ChildProcess; log: () => string } | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'contrarec-cli-serve-'));
    let indexed: string;
    ({ db, artifactDir, indexed } = await trainedStore(dir));
    expect(indexed).toMatch(/^indexed 80 items \(16-d\) of model \S+ in [\d.]+ s → .*index\.hnsw\n$/);
    server = await serve(['--db', db], 1, { CONTRAREC_ADMIN_TOKEN: 'secret' });
  }, 180_000);
  afterAll(async () => {
    await stop(server?.child);
    await rm(dir, { recursive: true, force: true });
  });

  it('answers similar items and user recommendations as brute force over the trained embeddings', async () => {
    const items = await readArtifactEmbeddings(artifactDir, 'item');
    const users = await readArtifactEmbeddings(artifactDir, 'user');
    const version = path.basename(artifactDir);
    const row = (side: typeof items, id: string) => side.vectors.subarray(side.ids.indexOf(id) * side.dim, (side.ids.indexOf(id) + 1) * side.dim);
    const similar = await getJson(`${server!.url}/v1/items/i1/similar?k=5`);
    const expected = naiveCosineRanking(items.ids, items.vectors, items.dim, row(items, 'i1'))
      .filter((e) => e.id !== 'i1')
      .slice(0, 5);
    expect(similar.status).toBe(200);
    expect(similar.body.model).toBe(version);
    expect(similar.body.items.map((h: { id: string }) => h.id)).toEqual(expected.map((e) => e.id));
    const store = await openStore(db, { readonly: true });
    const seen = (await seenItemsOf(store)).get('u1')!;
    store.close();
    const recs = await getJson(`${server!.url}/v1/users/u1/recommendations?k=5`);
    const expectedRecs = naiveCosineRanking(items.ids, items.vectors, items.dim, row(users, 'u1'))
      .filter((e) => !seen.has(e.id))
      .slice(0, 5);
    expect(recs.body.items.map((h: { id: string }) => h.id)).toEqual(expectedRecs.map((e) => e.id));
    recs.body.items.forEach((h: { score: number }, i: number) => expect(h.score).toBeCloseTo(expectedRecs[i].score, 5));
  });

  it('POST /v1/recommendations embeds a new user with the user tower and leaves out their recent items', async () => {
    const body = { features: { region: 'east', age: 40 }, recent_items: ['i3', 'i7'], k: 4 };
    const res = await getJson(`${server!.url}/v1/recommendations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    const vector = loadArtifact(await selectBackend('auto'), artifactDir).embedUser({ features: body.features, recentItems: body.recent_items });
    const items = await readArtifactEmbeddings(artifactDir, 'item');
    const expected = naiveCosineRanking(items.ids, items.vectors, items.dim, vector)
      .filter((e) => !body.recent_items.includes(e.id))
      .slice(0, 4);
    expect(res.body.items.map((h: { id: string }) => h.id)).toEqual(expected.map((e) => e.id));
    const post = (b: unknown) =>
      getJson(`${server!.url}/v1/recommendations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    expect(await post({})).toEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'request body: give "features" and/or "recent_items"' } },
    });
    expect(await post({ recent_items: ['i1'], k: 0 })).toEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'body field "k": must be an integer from 1 to 1000' } },
    });
    expect(await post({ recent_items: 'i1' })).toEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'body field "recent_items": must be an array of at most 1000 item ids (strings), oldest first' } },
    });
    expect((await post({ recentItems: ['i1'] })).body.error.message).toBe('request body: Unrecognized key: "recentItems"');
  });

  it('says at start that the console API is open when CONTRAREC_READ_TOKEN is unset, and serves it', async () => {
    expect(server!.log()).toMatch(/"level":"warn","msg":"the console API \(\/console\/api\/.*open to anyone.*set CONTRAREC_READ_TOKEN/);
    expect((await getJson(`${server!.url}/console/api/users/u1?history=3`)).body.recent).toHaveLength(3);
    const guarded = await serve(['--db', db], 1, { CONTRAREC_READ_TOKEN: 'read-secret' });
    try {
      expect(guarded.log()).not.toContain('CONTRAREC_READ_TOKEN');
      expect((await getJson(`${guarded.url}/console/api/users/u1`)).status).toBe(401);
      expect((await getJson(`${guarded.url}/console/api/users/u1`, { headers: { authorization: 'Bearer read-secret' } })).status).toBe(200);
    } finally {
      await stop(guarded.child);
    }
  });

  it('accepts interactions with the admin token', async () => {
    const res = await getJson(`${server!.url}/v1/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer secret' },
      body: JSON.stringify({ interactions: [{ user: 'u1', item: 'i9', ts: 1_800_000_000 }] }),
    });
    expect(res).toEqual({ status: 200, body: { inserted: 1, duplicates: 0, rejected: [] } });
  });

  it('answers live by default (a user only the store knows), as trained with --no-live-history, and names a bad --live-cache-users', async () => {
    const post = await getJson(`${server!.url}/v1/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer secret' },
      body: JSON.stringify({ interactions: [{ user: 'walk-in', item: 'i3' }] }),
    });
    expect(post.status).toBe(200);
    expect((await getJson(`${server!.url}/v1/users/walk-in/recommendations?k=3`)).status).toBe(200);
    const asTrained = await serve(['--db', db, '--no-live-history'], 1);
    try {
      expect((await getJson(`${asTrained.url}/v1/users/walk-in/recommendations?k=3`)).status).toBe(404);
    } finally {
      await stop(asTrained.child);
    }
    await expect(serve(['--db', db, '--live-cache-users', 'many'], 1)).rejects.toThrow(/--live-cache-users.*must be a whole number/);
  });

  it('--workers 2 answers from two processes sharing the port', async () => {
    const two = await serve(['--db', db], 2);
    try {
      const pids = new Set<number>();
      for (let i = 0; i < 20 && pids.size < 2; i++) {
        const res = await fetch(`${two.url}/healthz`, { headers: { connection: 'close' } });
        pids.add(((await res.json()) as { pid: number }).pid);
      }
      expect(pids.size).toBe(2);
      expect(pids.has(two.child.pid!)).toBe(false);
      // Told once (by the primary), not once per worker.
      expect(two.log().match(/"msg":"the console API \(\/console\/api\/[^"]*CONTRAREC_READ_TOKEN/g)).toHaveLength(1);
    } finally {
      await stop(two.child);
    }
  });
});
