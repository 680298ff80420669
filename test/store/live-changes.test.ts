import { expect, it } from 'vitest';
import { ingestInteractionRows, ingestItemRows } from '../../src/ingest/index.js';
import {
  beginBatch,
  markItemDeleted,
  markItemsDeleted,
  NO_ITEMS_READ,
  openStore,
  readInteractionChanges,
  readInteractionWatermark,
  readItemChanges,
  readInteractionPairsThrough,
  readUserFeatures,
} from '../../src/store/index.js';
import { ingest, tmpDir, writeInput } from '../ingest/helpers.js';
import { describeEachDialect } from './store-dialects.js';

describeEachDialect('the store reads behind live answers', (freshDb) => {
  it('reads the rows of the finished batches after a watermark, a running batch once it finishes, in pages ended at a batch', async () => {
    const dir = tmpDir();
    const store = await openStore(await freshDb());
    await ingest(store, 'interactions', [writeInput(dir, 'a.csv', 'user,item,ts\nu1,i1,1\nu2,i2,2\n')]);
    const start = await readInteractionWatermark(store);
    expect(await readInteractionChanges(store, start, 10)).toEqual({ through: start, rows: [], more: false });
    await ingestInteractionRows(store, [{ user: 'u2', item: 'i3', ts: 3 }], { source: 'api' });
    const running = await beginBatch(store, { kind: 'interactions', source: 'slow.csv', format: 'csv' });
    await ingestInteractionRows(store, [{ user: 'u3', item: 'i1', ts: 4 }], { source: 'api' });
    const changes = await readInteractionChanges(store, start, 10);
    // The batch after the running one waits for it: the watermark never passes a batch still being written.
    expect(changes).toEqual({ through: running.id - 1, rows: [{ user: 'u2', item: 'i3', ts: 3 }], more: false });
    // The scan at load and the watermark it covers come from one read: the changes after it are the rest.
    const { pairs, through } = await readInteractionPairsThrough(store);
    expect(through).toBe(running.id - 1);
    expect(pairs.ts).toEqual(Float64Array.from([1, 2, 3]));
    await store.close();
  });

  it('pages the changes at batch ends, and reads a batch larger than a page whole', async () => {
    const store = await openStore(await freshDb());
    const start = await readInteractionWatermark(store);
    await ingestInteractionRows(store, [{ user: 'u1', item: 'i1', ts: 1 }], { source: 'api' });
    await ingestInteractionRows(
      store,
      [
        { user: 'u2', item: 'i1', ts: 2 },
        { user: 'u2', item: 'i2', ts: 3 },
        { user: 'u3', item: 'i2', ts: 4 },
      ],
      { source: 'api' },
    );
    await ingestInteractionRows(store, [{ user: 'u4', item: 'i3', ts: 5 }], { source: 'api' });
    const first = await readInteractionChanges(store, start, 2);
    expect(first).toEqual({ through: start + 1, rows: [{ user: 'u1', item: 'i1', ts: 1 }], more: true });
    const second = await readInteractionChanges(store, first.through, 2);
    expect(second).toMatchObject({ through: start + 2, more: true });
    expect(second.rows.map((r) => r.user).sort()).toEqual(['u2', 'u2', 'u3']);
    expect(await readInteractionChanges(store, second.through, 2)).toEqual({ through: start + 3, rows: [{ user: 'u4', item: 'i3', ts: 5 }], more: false });
    await store.close();
  });

  it("reads a user's features, and the items stored and deleted since a watermark", async () => {
    const dir = tmpDir();
    const store = await openStore(await freshDb());
    await ingest(store, 'users', [writeInput(dir, 'u.csv', 'user,age\nu1,30\n')]);
    await ingest(store, 'interactions', [writeInput(dir, 'a.csv', 'user,item,ts\nu1,i1,1\nu1,i2,2\n')]);
    expect(await markItemDeleted(store, 'i1', 100)).toBe(true);
    expect(await readUserFeatures(store, 'u1')).toEqual({ age: 30 });
    expect(await readUserFeatures(store, 'nobody')).toBeUndefined();
    const all = await readItemChanges(store, NO_ITEMS_READ);
    expect(all).toEqual({ added: [{ id: 'i2', features: {} }], deleted: ['i1'], through: { addedThrough: 2, deletedSince: 100 }, more: false });
    expect(await ingestItemRows(store, [{ id: 'i3', features: { genre: ['a', 'b'], year: 1999 } }], { source: 'api' })).toMatchObject({ inserted: 1 });
    expect(await readItemChanges(store, all.through)).toEqual({
      added: [{ id: 'i3', features: { genre: ['a', 'b'], year: 1999 } }],
      deleted: ['i1'],
      through: { addedThrough: 3, deletedSince: 100 },
      more: false,
    });
    await store.close();
  });

  it('reads the catalogue a page at a time, leaving out (and never reading the features of) the items the reader knows', async () => {
    const dir = tmpDir();
    const store = await openStore(await freshDb());
    await ingest(store, 'items', [writeInput(dir, 'i.jsonl', ['i1', 'i2', 'i3', 'i4'].map((id) => JSON.stringify({ id, genre: [id] })).join('\n') + '\n')]);
    expect(await markItemDeleted(store, 'i2', 50)).toBe(true);
    const known = (id: string): boolean => id === 'i3';
    const first = await readItemChanges(store, NO_ITEMS_READ, { limit: 2, known });
    expect(first).toEqual({ added: [{ id: 'i1', features: { genre: ['i1'] } }], deleted: ['i2'], through: { addedThrough: 2, deletedSince: 50 }, more: true });
    const second = await readItemChanges(store, first.through, { limit: 2, known });
    expect(second).toEqual({ added: [{ id: 'i4', features: { genre: ['i4'] } }], deleted: ['i2'], through: { addedThrough: 4, deletedSince: 50 }, more: true });
    expect(await readItemChanges(store, second.through, { limit: 2, known })).toMatchObject({ added: [], through: second.through, more: false });
    await store.close();
  });

  it('deletes many items in one transaction: all or nothing, an already deleted one counted and left as it was', async () => {
    const dir = tmpDir();
    const store = await openStore(await freshDb());
    await ingest(store, 'items', [writeInput(dir, 'i.jsonl', ['i1', 'i2', 'i3'].map((id) => JSON.stringify({ id, genre: [id] })).join('\n') + '\n')]);
    expect(await markItemDeleted(store, 'i1', 50)).toBe(true);
    expect(await markItemsDeleted(store, ['i2', 'nope', 'i1'], 60)).toEqual({ deleted: 0, alreadyDeleted: 1, unknown: ['nope'] });
    expect((await readItemChanges(store, NO_ITEMS_READ)).deleted).toEqual(['i1']);
    expect(await markItemsDeleted(store, ['i2', 'i1', 'i2', 'i3'], 60)).toEqual({ deleted: 2, alreadyDeleted: 1, unknown: [] });
    const changes = await readItemChanges(store, NO_ITEMS_READ);
    expect([...changes.deleted].sort()).toEqual(['i1', 'i2', 'i3']);
    expect(changes.through.deletedSince).toBe(60);
    await store.close();
  });
});
