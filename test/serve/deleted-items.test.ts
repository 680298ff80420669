import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestInteractionRows } from '../../src/ingest/index.js';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { markItemDeleted, openStore, type Store } from '../../src/store/index.js';
import { addModel, expectedTopK, getJson, tempDir, vectorOf, type TestModel } from './serve-fixture.js';

describe('items deleted from the catalogue', () => {
  let dir: string;
  let store: Store;
  let model: TestModel;
  let running: RunningServer;
  let deleted: string[];

  beforeAll(async () => {
    dir = await tempDir();
    const dbPath = path.join(dir, 'contrarec.db');
    store = await openStore(dbPath);
    model = await addModel(store, dbPath, 'v1', 4, true, 60);
    // The five items nearest to i0 exist in the store (through interactions); two of them are deleted.
    const near = expectedTopK(model, vectorOf(model.items, 'i0'), 6)
      .map((e) => e.id)
      .filter((id) => id !== 'i0');
    await ingestInteractionRows(
      store,
      near.map((item, k) => ({ user: 'u1', item, ts: 1_700_000_000 + k })),
      { source: 'test' },
    );
    deleted = [near[0], near[2]];
    for (const id of deleted) expect(await markItemDeleted(store, id)).toBe(true);
    running = await startServer({ host: '127.0.0.1', port: 0, dbPath, log: () => {}, watchIntervalMs: 60_000 });
  });
  afterAll(async () => {
    await running?.close();
    store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('never appear in similar items or recommendations, though the model still has them', async () => {
    const similar = await getJson(`${running.url}/v1/items/i0/similar?k=10`);
    const expected = expectedTopK(model, vectorOf(model.items, 'i0'), 60, (id) => id === 'i0' || deleted.includes(id)).slice(0, 10);
    expect(similar.body.items.map((h: { id: string }) => h.id)).toEqual(expected.map((e) => e.id));
    // A deleted item itself is unknown to the similar-items route, as one the model never had.
    expect(await getJson(`${running.url}/v1/items/${deleted[0]}/similar?k=3`)).toEqual({
      status: 404,
      body: { error: { code: 'unknown_item', message: `unknown item "${deleted[0]}" (not in model v1, or deleted)` } },
    });
    const recs = await getJson(`${running.url}/v1/users/u2/recommendations?k=59`);
    expect(recs.body.items.length).toBe(58);
    for (const id of deleted) expect(recs.body.items.some((h: { id: string }) => h.id === id)).toBe(false);
  });
});
