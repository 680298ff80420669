import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listRejects, openStore, readInteractionLog, type Store } from '../../src/store/index.js';
import { UNCLOSED_AT_EOF } from '../../src/ingest/csv-records.js';
import { ingest, tmpDir, writeInput } from './helpers.js';

describe('user and item feature files', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = tmpDir();
    store = await openStore(path.join(dir, 'e.db'));
    await ingest(store, 'interactions', [writeInput(dir, 'i.csv', 'user,item,ts\nu1,i1,1\nu2,i2,2\n')]);
  });
  afterEach(() => store.close());

  it('infers kinds in CSV: numbers → numeric, a "|" → multi, else categorical', async () => {
    const s = await ingest(store, 'users', [writeInput(dir, 'u.csv', 'user_id,age,tags,city\nu1,24,a|b,paris\nu2,31.5,c,\n')]);
    expect(s).toMatchObject({ status: 'complete', rowsRead: 2, inserted: 0, updated: 2, duplicates: 0 });
    const log = await readInteractionLog(store);
    expect(log.featureFields.filter((f) => f.entity === 'user')).toEqual([
      { entity: 'user', name: 'age', kind: 'numeric' },
      { entity: 'user', name: 'city', kind: 'categorical' },
      { entity: 'user', name: 'tags', kind: 'multi' },
    ]);
    expect(log.users).toEqual([
      { externalId: 'u1', features: { age: 24, tags: ['a', 'b'], city: 'paris' } },
      { externalId: 'u2', features: { age: 31.5, tags: ['c'] } },
    ]);
  });

  it('uses declared atomic types, splits token_seq on spaces and rejects a bad float', async () => {
    const file = writeInput(dir, 'x.item', 'item_id:token\tgenre:token_seq\tyear:token\tprice:float\ni1\tSci-Fi Drama\t1995\t9.5\ni2\tComedy\tV\tcheap\n');
    const s = await ingest(store, 'items', [file], { maxErrors: '1' });
    expect(s).toMatchObject({ status: 'complete', updated: 1, rejected: 1 });
    expect(await listRejects(store, s.batchId)).toEqual([{ file, line: 3, raw: 'i2\tComedy\tV\tcheap', reason: 'bad number in price: "cheap"' }]);
    expect((await readInteractionLog(store)).items[0]).toEqual({ externalId: 'i1', features: { genre: ['Sci-Fi', 'Drama'], year: '1995', price: 9.5 } });
  });

  it('reads JSON Lines features, merges a second file into existing features, and is idempotent', async () => {
    const a = writeInput(dir, 'u.jsonl', '{"user_id":"u1","age":24,"tags":["x","y"]}\n{"id":"u9","gender":"F"}\n');
    expect(await ingest(store, 'users', [a])).toMatchObject({ inserted: 1, updated: 1 });
    const b = writeInput(dir, 'u2.csv', 'user,gender\nu1,M\n');
    expect(await ingest(store, 'users', [b])).toMatchObject({ inserted: 0, updated: 1 });
    expect(await ingest(store, 'users', [a])).toMatchObject({ inserted: 0, updated: 0, duplicates: 2 });
    // u9 has no interactions, so the log leaves it out.
    expect((await readInteractionLog(store)).users[0]).toEqual({ externalId: 'u1', features: { age: 24, tags: ['x', 'y'], gender: 'M' } });
  });

  it('widens a field whose files disagree (numeric then words → categorical)', async () => {
    await ingest(store, 'users', [writeInput(dir, 'a.csv', 'user,grade\nu1,3\n')]);
    await ingest(store, 'users', [writeInput(dir, 'b.csv', 'user,grade\nu2,high\n')]);
    const log = await readInteractionLog(store);
    expect(log.featureFields).toEqual([{ entity: 'user', name: 'grade', kind: 'categorical' }]);
    expect(log.users.map((u) => u.features.grade)).toEqual(['3', 'high']);
  });

  it('rolls a feature file back entirely past --max-errors, keeping its rejects', async () => {
    const file = writeInput(dir, 'bad.csv', 'user,age\nu1,30\n,40\n');
    const s = await ingest(store, 'users', [file]);
    expect(s).toMatchObject({ status: 'rolled_back', rejected: 1 });
    expect(await listRejects(store, s.batchId)).toEqual([{ file, line: 3, raw: ',40', reason: 'missing user id' }]);
    expect((await readInteractionLog(store)).users[0].features).toEqual({});
  });

  it('reads a quoted feature with line breaks, and rejects at the physical line where a record starts', async () => {
    const file = writeInput(dir, 'items.csv', 'item_id,title,year\ni1,"Line one,\r\nline ""two""",1995\ni9,"x\ny",\n"i2",plain,2001\n,"a\nb",3\ni3,"open\n');
    const s = await ingest(store, 'items', [file], { maxErrors: '100%' });
    expect(s).toMatchObject({ status: 'complete', rowsRead: 5, rejected: 2 });
    expect((await readInteractionLog(store)).items).toEqual([
      { externalId: 'i1', features: { title: 'Line one,\r\nline "two"', year: 1995 } },
      { externalId: 'i2', features: { title: 'plain', year: 2001 } },
      { externalId: 'i9', features: { title: 'x\ny' } },
    ]);
    expect(await listRejects(store, s.batchId)).toEqual([
      { file, line: 7, raw: ',"a\nb",3', reason: 'missing item id' },
      { file, line: 9, raw: 'i3,"open', reason: UNCLOSED_AT_EOF },
    ]);
  });

  it('keeps a TSV feature file one record a line', async () => {
    const file = writeInput(dir, 'items.tsv', 'item_id\ttitle\ni1\t"a\ni2\tb"\n');
    const s = await ingest(store, 'items', [file], { maxErrors: '100%' });
    expect(s).toMatchObject({ rowsRead: 2, rejected: 2 });
    expect((await listRejects(store, s.batchId)).map((r) => [r.line, r.reason])).toEqual([
      [2, 'unbalanced quotes'],
      [3, 'unbalanced quotes'],
    ]);
  });
});
