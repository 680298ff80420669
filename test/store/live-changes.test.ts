import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestInteractionRows, ingestItemRows } from '../../src/ingest/index.js';
import {
  beginBatch,
  markItemDeleted,
  NO_ITEMS_READ,
  openStore,
  readInteractionChanges,
  readInteractionWatermark,
  readItemChanges,
  readUserLiveHistory,
} from '../../src/store/index.js';
import { ingest, tmpDir, writeInput } from '../ingest/helpers.js';

describe('the store reads behind live answers', () => {
  it('names the users of the batches after a watermark, reads a running batch again until it finishes, and gives up past the limit', async () => {
    const dir = tmpDir();
    const store = await openStore(path.join(dir, 'c.db'));
    await ingest(store, 'interactions', [writeInput(dir, 'a.csv', 'user,item,ts\nu1,i1,1\nu2,i2,2\n')]);
    const start = await readInteractionWatermark(store);
    expect(await readInteractionChanges(store, start, 10)).toEqual({ through: start, users: [] });
    ingestInteractionRows(store, [{ user: 'u2', item: 'i3', ts: 3 }], { source: 'api' });
    const running = await beginBatch(store, { kind: 'interactions', source: 'slow.csv', format: 'csv' });
    ingestInteractionRows(store, [{ user: 'u3', item: 'i1', ts: 4 }], { source: 'api' });
    const changes = await readInteractionChanges(store, start, 10);
    expect([...(changes.users as string[])].sort()).toEqual(['u2', 'u3']);
    expect(changes.through).toBe(running.id - 1);
    expect((await readInteractionChanges(store, start, 1)).users).toBe('too-many');
    store.close();
  });

  it("reads a user's features and interactions with live items, and the items stored and deleted since a watermark", async () => {
    const dir = tmpDir();
    const store = await openStore(path.join(dir, 'c.db'));
    await ingest(store, 'users', [writeInput(dir, 'u.csv', 'user,age\nu1,30\n')]);
    await ingest(store, 'interactions', [writeInput(dir, 'a.csv', 'user,item,ts\nu1,i1,1\nu1,i2,2\n')]);
    expect(markItemDeleted(store, 'i1', 100)).toBe(true);
    expect(await readUserLiveHistory(store, 'u1')).toEqual({ features: { age: 30 }, interactions: [{ item: 'i2', ts: 2 }] });
    expect(await readUserLiveHistory(store, 'nobody')).toBeUndefined();
    const all = await readItemChanges(store, NO_ITEMS_READ);
    expect(all).toEqual({ added: [{ id: 'i2', features: {} }], deleted: ['i1'], through: { addedThrough: 2, deletedSince: 100 } });
    expect(ingestItemRows(store, [{ id: 'i3', features: { genre: ['a', 'b'], year: 1999 } }], { source: 'api' })).toMatchObject({ inserted: 1 });
    expect(await readItemChanges(store, all.through)).toEqual({
      added: [{ id: 'i3', features: { genre: ['a', 'b'], year: 1999 } }],
      deleted: ['i1'],
      through: { addedThrough: 3, deletedSince: 100 },
    });
    store.close();
  });
});
