import { afterEach, beforeEach, expect, it } from 'vitest';
import { ingestInteractionRows } from '../../src/ingest/ingest-rows.js';
import { countRows, listBatches, openStore, readIdempotentWrite, type Store } from '../../src/store/index.js';
import { describeEachDialect } from './store-dialects.js';

const ROWS = [{ user: 'u1', item: 'i1', ts: 1_700_000_000 }, { user: 'u1' }, { user: 'u2', item: 'i1', ts: 1_700_000_100 }];

describeEachDialect('idempotency keys of API writes', (freshDb) => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(await freshDb());
  });
  afterEach(() => store.close());

  const post = (rows: readonly unknown[], key: string, bodySha256 = 'hash-a') =>
    ingestInteractionRows(store, rows, { source: 'api', idempotency: { key, bodySha256 } });

  it('record the key with the rows; a retry answers the first answer and writes nothing', async () => {
    const first = await post(ROWS, 'k1');
    expect(first).toMatchObject({ inserted: 2, duplicates: 0, rejected: [{ index: 1 }], idempotency: 'stored' });
    const stored = await countRows(store);
    const batches = (await listBatches(store)).length;
    expect(await readIdempotentWrite(store, 'k1')).toMatchObject({ batchId: first.batchId, inserted: 2, duplicates: 0, rejected: 1, bodySha256: 'hash-a' });

    const again = await post(ROWS, 'k1');
    expect(again).toEqual({ ...first, idempotency: 'replayed' });
    expect(await countRows(store)).toEqual(stored);
    expect((await listBatches(store)).length).toBe(batches);
  });

  it('refuse the key with another body, and write nothing', async () => {
    await post(ROWS, 'k1');
    const stored = await countRows(store);
    const other = await post([{ user: 'u3', item: 'i3', ts: 1 }], 'k1', 'hash-b');
    expect(other).toMatchObject({ inserted: 0, duplicates: 0, rejected: [], idempotency: 'conflict' });
    expect(await countRows(store)).toEqual(stored);
  });

  it('record no key for a request whose every row is refused', async () => {
    expect(await post([{ user: 'u1' }], 'k2')).toMatchObject({ batchId: null, inserted: 0 });
    expect(await readIdempotentWrite(store, 'k2')).toBeUndefined();
    expect((await countRows(store)).ingest_batches).toBe(0);
  });

  it('let one of two concurrent requests with one key write; the other answers its answer', async () => {
    const answers = await Promise.all([post(ROWS, 'k3'), post(ROWS, 'k3')]);
    expect(answers.map((a) => a.idempotency).sort()).toEqual(['replayed', 'stored']);
    expect(answers[0]).toEqual({ ...answers[1], idempotency: answers[0].idempotency });
    expect(await countRows(store)).toMatchObject({ interactions: 2 });
    // Keys of different requests do not interfere.
    expect(await post([{ user: 'u9', item: 'i9', ts: 5 }], 'k4')).toMatchObject({ inserted: 1, idempotency: 'stored' });
  });
});
