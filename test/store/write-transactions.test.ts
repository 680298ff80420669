import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activateModel, beginBatch, getActiveModel, insertModel, listBatches, openStore, type Store } from '../../src/store/index.js';
import { tmpDir } from '../ingest/helpers.js';
import { holdWriteLockInOtherProcess } from './other-process-writer.js';

// A transaction that reads before it writes must own the write lock from its first statement:
// upgrading a read to a write while another connection holds the lock fails at once, since
// SQLite does not run the busy handler for an upgrade (it could deadlock).
describe('write transactions beside another process that writes', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(path.join(tmpDir(), 'w.db'));
  });
  afterEach(() => store.close());

  it('activateModel waits for the other writer instead of failing with SQLITE_BUSY', async () => {
    for (const v of ['v1', 'v2']) await insertModel(store, { version: v, status: 'ready' });
    await activateModel(store, 'v1');
    const other = await holdWriteLockInOtherProcess(store.path, 300);
    await expect(activateModel(store, 'v2')).resolves.toMatchObject({ version: 'v2', status: 'active' });
    await other.released;
    expect((await getActiveModel(store))?.version).toBe('v2');
  });

  it('beginBatch waits for the other writer too', async () => {
    const other = await holdWriteLockInOtherProcess(store.path, 300);
    const { id, resumed } = await beginBatch(store, { kind: 'interactions', source: 'a.csv', format: 'csv' });
    await other.released;
    expect(resumed).toBe(false);
    expect((await listBatches(store)).map((b) => [b.id, b.source])).toEqual([
      [id, 'a.csv'],
      [id - 1, 'other-process'],
    ]);
  });
});
