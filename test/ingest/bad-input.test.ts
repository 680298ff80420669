import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareFiles } from '../../src/ingest/index.js';
import { countRows, integrityCheck, listBatches, listRejects, openStore, type Store } from '../../src/store/index.js';
import { UNCLOSED_AT_EOF } from '../../src/ingest/csv-records.js';
import { describeEachDialect } from '../store/store-dialects.js';
import { ingest, tmpDir, writeInput } from './helpers.js';

describe('file-level errors (before any write)', () => {
  let dir: string;
  beforeEach(() => {
    dir = tmpDir();
  });

  it('names a missing file', async () => {
    await expect(prepareFiles('interactions', [path.join(dir, 'nope.csv')], {})).rejects.toThrow(`${path.join(dir, 'nope.csv')}: no such file`);
  });
  it('names an empty file (also when gzipped, or only blank lines)', async () => {
    for (const [name, text] of [
      ['e.csv', ''],
      ['e.csv.gz', ''],
      ['b.tsv', '\n\n  \n'],
    ]) {
      const file = writeInput(dir, name, text);
      await expect(prepareFiles('interactions', [file], {})).rejects.toThrow(`${file}: file is empty`);
    }
  });
  it('fails a truncated gzip file with a one-line read error, keeping the batch as failed', async () => {
    const whole = fs.readFileSync(writeInput(dir, 'ok.csv.gz', `user,item,ts\n${'u1,i1,1\n'.repeat(5000)}`));
    const file = writeInput(dir, 'cut.csv', whole.subarray(0, whole.length - 20));
    fs.renameSync(file, `${file}.gz`);
    const store = await openStore(path.join(dir, 't.db'));
    try {
      await expect(ingest(store, 'interactions', [`${file}.gz`])).rejects.toThrow(`${file}.gz: cannot read: unexpected end of file`);
      expect((await listBatches(store))[0]).toMatchObject({ status: 'failed' });
      expect((await countRows(store)).interactions).toBe(0);
    } finally {
      store.close();
    }
  });

  it('names the missing column and the flag that sets it', async () => {
    const file = writeInput(dir, 'h.csv', 'user_id,product,timestamp\nu1,i1,5\n');
    await expect(prepareFiles('interactions', [file], {})).rejects.toThrow(
      `${file}: header has no item column (expected one of item_id, item, itemid, or --item-col)`,
    );
    await expect(prepareFiles('interactions', [file], { itemCol: 'sku' })).rejects.toThrow(`${file}: header has no column "sku" (given by --item-col)`);
    const users = writeInput(dir, 'u.csv', 'name,age\nx,1\n');
    await expect(prepareFiles('users', [users], {})).rejects.toThrow(
      `${users}: header has no user id column (expected one of user_id, user, userid, id, or --user-col)`,
    );
  });
});

describeEachDialect('row-level rejects', (freshDb, dialect) => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = tmpDir();
    store = await openStore(await freshDb());
  });
  afterEach(() => store.close());

  const BAD = Buffer.concat([
    Buffer.from('user,item,ts,rating\nu1,i1,5,1\n,i1,5,1\nu1,i1,5\nu1,i1,abc,1\nu1,i'),
    Buffer.from([0xff, 0xfe]),
    Buffer.from(',6,1\nu1,i2,7,high\n"u1,i3,8,1\nu2,i1,9,2\nu3,é,10,1\n'),
  ]);

  it('keeps good rows and records each bad row with file, line, raw text and reason', async () => {
    const file = writeInput(dir, 'bad.csv', BAD);
    const s = await ingest(store, 'interactions', [file], { maxErrors: '10' });
    expect(s).toMatchObject({ status: 'complete', rowsRead: 9, inserted: 3, duplicates: 0, rejected: 6 });
    expect(await listRejects(store, s.batchId)).toEqual([
      { file, line: 3, raw: ',i1,5,1', reason: 'missing user id' },
      { file, line: 4, raw: 'u1,i1,5', reason: 'expected 4 fields, found 3' },
      { file, line: 5, raw: 'u1,i1,abc,1', reason: 'bad timestamp "abc"' },
      { file, line: 6, raw: 'u1,i\uFFFD\uFFFD,6,1', reason: 'invalid UTF-8' },
      { file, line: 7, raw: 'u1,i2,7,high', reason: 'bad rating "high"' },
      // The quote opened on line 8 is still open at the end of the file: line 8 alone is refused, 9 and 10 are read.
      { file, line: 8, raw: '"u1,i3,8,1', reason: UNCLOSED_AT_EOF },
    ]);
    expect(await countRows(store)).toMatchObject({ interactions: 3, users: 3, items: 2, rejected_rows: 6 });
  });

  it('keeps a rejected line holding a NUL byte (PostgreSQL, whose text cannot hold NUL, stores U+FFFD)', async () => {
    const file = writeInput(dir, 'nul.csv', 'user,item,ts\nu1,i1,1\nu\u0000x,i1,2\n');
    const s = await ingest(store, 'interactions', [file], { maxErrors: '100%' });
    expect(s).toMatchObject({ status: 'complete', inserted: 1, rejected: 1 });
    const nul = dialect === 'sqlite' ? '\u0000' : '\uFFFD';
    expect(await listRejects(store, s.batchId)).toEqual([{ file, line: 3, raw: `u${nul}x,i1,2`, reason: 'user id has a control character U+0000 at 1' }]);
  });

  it('rejects malformed JSON Lines', async () => {
    const file = writeInput(dir, 'bad.jsonl', '{"user":"u","item":"i","ts":1}\n{"user":"u",\n[1,2]\n{"user":"u","item":{"x":1},"ts":2}\n');
    const s = await ingest(store, 'interactions', [file], { maxErrors: '100%' });
    expect((await listRejects(store, s.batchId)).map((r) => `${r.line}: ${r.reason}`)).toEqual([
      '2: malformed JSON',
      '3: not a JSON object',
      '4: bad value {"x":1}',
    ]);
    expect(s).toMatchObject({ inserted: 1, rejected: 3 });
  });

  it('rolls back the whole batch past --max-errors, keeping the batch record and its rejects', async () => {
    const before = writeInput(dir, 'ok.csv', 'user,item,ts\nu0,i0,1\n');
    await ingest(store, 'interactions', [before]);
    // Chunks of 2 rows: the good rows are committed before the verdict, so the rollback must undo them.
    const rows = ['user,item,ts', 'u0,i0,1', 'u1,i1,2', 'u2,i2,3', 'u3,i3,4', 'u4,i4,oops', 'u5,i5,6', 'u6,,7'];
    const file = writeInput(dir, 'many.csv', `${rows.join('\n')}\n`);
    const s = await ingest(store, 'interactions', [file], { maxErrors: '1', chunkRows: 2 });
    expect(s).toMatchObject({ status: 'rolled_back', rowsRead: 7, inserted: 0, rejected: 2 });
    expect(s.firstRejects.map((r) => `${path.basename(r.file)}:${r.line}: ${r.reason}`)).toEqual([
      'many.csv:6: bad timestamp "oops"',
      'many.csv:8: missing item id',
    ]);
    // Only the earlier batch's data is left: u0/i0 and one interaction; u1..u5, i1..i5 are gone.
    expect(await countRows(store)).toMatchObject({ interactions: 1, users: 1, items: 1, rejected_rows: 2, ingest_batches: 2 });
    const [last] = await listBatches(store);
    expect(last).toMatchObject({ id: s.batchId, status: 'rolled_back', rowsRead: 7, rejected: 2, error: 'too many rejected rows: 2 of 7' });
    expect((await listRejects(store, s.batchId)).length).toBe(2);
    expect(await integrityCheck(store)).toEqual([]);
  });

  it('applies the default of 1% of rows read', async () => {
    const good = Array.from({ length: 200 }, (_, k) => `u${k},i${k},${k}`);
    const two = writeInput(dir, 'two.csv', ['user,item,ts', ...good, 'x,y,z', 'x,y,w'].join('\n'));
    expect((await ingest(store, 'interactions', [two])).status).toBe('complete'); // 2 of 202 ≤ 2.02
    const three = writeInput(dir, 'three.csv', ['user,item,ts', ...good, 'x,y,z', 'x,y,w', 'x,y,v'].join('\n'));
    expect((await ingest(store, 'interactions', [three])).status).toBe('rolled_back'); // 3 of 203 > 2.03
  });

  it('stops early once the rejects clearly exceed the limit, without reading the rest of the file', async () => {
    // ~2.4 MB of unparsable timestamps: the reader hands over 1 MiB chunks, and the check after
    // the first one already sees 100% rejects against a 1% limit.
    const bad = Array.from({ length: 150_000 }, (_, k) => `u${k},i${k},t${k}`);
    const file = writeInput(dir, 'allbad.csv', ['user,item,ts', ...bad].join('\n'));
    const s = await ingest(store, 'interactions', [file]);
    expect(s.status).toBe('rolled_back');
    expect(s.rowsRead).toBeGreaterThan(1000);
    expect(s.rowsRead).toBeLessThan(150_000);
    expect(s.rejected).toBe(s.rowsRead);
    expect(await countRows(store)).toMatchObject({ interactions: 0, rejected_rows: s.rowsRead });
  });
});
