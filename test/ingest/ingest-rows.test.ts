import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestInteractionRows } from '../../src/ingest/index.js';
import { listBatches, listRejects, openStore, readInteractionLog, type Store } from '../../src/store/index.js';
import { tmpDir } from './helpers.js';

describe('ingestInteractionRows (the API write path)', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(path.join(tmpDir(), 'a.db'));
  });
  afterEach(() => store.close());

  it('stores valid rows, returns refused ones by index, and dedupes like file ingest', async () => {
    const rows = [{ user: 'u1', item: 'i1', ts: 10 }, { user: 'u1', item: 'i2', ts: 'never' }, { user: 2, item: 'i1', event: 'click' }, 'junk'];
    const r = await ingestInteractionRows(store, rows, { source: 'api', now: 50 });
    expect(r).toMatchObject({
      inserted: 2,
      duplicates: 0,
      rejected: [
        { index: 1, reason: 'bad timestamp "never"' },
        { index: 3, reason: expect.stringMatching(/^row: /) },
      ],
    });
    expect(await ingestInteractionRows(store, [rows[0]], { source: 'api' })).toMatchObject({ inserted: 0, duplicates: 1, rejected: [] });
    const log = await readInteractionLog(store);
    expect([...log.interactions.ts]).toEqual([10, 50]);
    expect(log.users.map((u) => u.externalId)).toEqual(['u1', '2']);
    expect((await listRejects(store, r.batchId ?? -1)).map((x) => [x.file, x.line, x.raw])).toEqual([
      ['api', 2, '{"user":"u1","item":"i2","ts":"never"}'],
      ['api', 4, '"junk"'],
    ]);
    expect((await listBatches(store))[1]).toMatchObject({ kind: 'interactions', format: 'api', status: 'complete', rowsRead: 4, rowsInserted: 2, rejected: 2 });
  });
});
