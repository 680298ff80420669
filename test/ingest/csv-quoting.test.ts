import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvRecordEnd, MAX_CSV_RECORD_BYTES, UNCLOSED_AT_EOF, UNCLOSED_PAST_BOUND } from '../../src/ingest/csv-records.js';
import { splitDelimited } from '../../src/ingest/index.js';
import { listRejects, openStore, readInteractionLog, type Store } from '../../src/store/index.js';
import { decodeFiles } from './decode-file.js';
import { ingest, tmpDir, writeInput } from './helpers.js';

const HEADER = 'user,item,ts,note\n';

describe('csvRecordEnd', () => {
  const end = (text: string, inQuotes = false): number => csvRecordEnd(Buffer.from(text), 0, 44, inQuotes);
  it('ends a record at the first line feed outside quotes', async () => {
    expect(end('a,b\nc')).toBe(3);
    expect(end('a,"b\nc",d\ne')).toBe(9);
    expect(end('a,"b\r\nc"\r\ne')).toBe(9);
    expect(end('"x""\ny"\n')).toBe(7);
    expect(end('a,"b')).toBe(-1);
    expect(end('b\nc",d\ne', true)).toBe(6);
  });
  it('ends a record with misplaced quotes at its own line', async () => {
    expect(end('a,b"c\nd"\n')).toBe(5);
    expect(end('"a"b,"\nc"\n')).toBe(6);
  });
});

describe('splitDelimited on a record that spans lines', () => {
  it('keeps the line breaks of a quoted field as they are', async () => {
    expect(splitDelimited('u,"a\nb",1', ',')).toEqual(['u', 'a\nb', '1']);
    expect(splitDelimited('u,"a\r\n""b"",\rc",1', ',')).toEqual(['u', 'a\r\n"b",\rc', '1']);
  });
});

describe('CSV quoted fields that span lines', () => {
  let dir: string;
  beforeEach(() => {
    dir = tmpDir();
  });

  it('reads LF, CRLF and lone CR inside quotes, delimiters and doubled quotes, with the physical line of each reject', async () => {
    const text =
      HEADER +
      'u1,"i,1",1,"first\nsecond"\n' + // lines 2-3
      'u2,"i ""2""",2,"a\r\nb\r\n"\r\n' + // lines 4-6
      'u3,i3,3,"lone\rcr"\n' + // line 7
      'u4,i4,oops,"x\ny"\n' + // lines 8-9: a bad row, rejected at its first line with the whole record
      'u5,i5,5\n' + // line 10: 3 fields
      '"u6",i6,6,"\n"\n'; // lines 11-12: a field that is one line break
    const got = await decodeFiles([writeInput(dir, 'm.csv', text)]);
    expect(got.rows.map((r) => [r.user, r.item, r.ts])).toEqual([
      ['u1', 'i,1', 1],
      ['u2', 'i "2"', 2],
      ['u3', 'i3', 3],
      ['u6', 'i6', 6],
    ]);
    expect(got.rejects).toEqual([
      { line: 8, raw: 'u4,i4,oops,"x\ny"', reason: 'bad timestamp "oops"' },
      { line: 10, raw: 'u5,i5,5', reason: 'expected 4 fields, found 3' },
    ]);
    expect(got.rowsRead).toBe(6);
  });

  it('rejects a quote still open at the end of the file by its first line, and reads the lines after it', async () => {
    const text = `${HEADER}u1,i1,1,ok\nu2,i2,2,"never closed\nu3,i3,3,x\nu4,i4,4,y\n`;
    for (const name of ['eof.csv', 'eof.csv.gz']) {
      const got = await decodeFiles([writeInput(dir, name, text)]);
      expect(got.rows.map((r) => r.user)).toEqual(['u1', 'u3', 'u4']);
      expect(got.rejects).toEqual([{ line: 3, raw: 'u2,i2,2,"never closed', reason: UNCLOSED_AT_EOF }]);
    }
    // Without a final line break too.
    const bare = await decodeFiles([writeInput(dir, 'bare.csv', `${HEADER}u1,i1,1,"a\nu3,i3,3,x`)]);
    expect(bare.rows.map((r) => r.user)).toEqual(['u3']);
    expect(bare.rejects).toEqual([{ line: 2, raw: 'u1,i1,1,"a', reason: UNCLOSED_AT_EOF }]);
  });

  it(`refuses a record longer than ${MAX_CSV_RECORD_BYTES} bytes by its first line, and reads the lines after it`, async () => {
    // 120,000 good rows (~1.6 MiB) after an opening quote that is closed only at the end.
    const good = Array.from({ length: 120_000 }, (_, k) => `u${k},i${k % 7},${k},x`);
    const text = `${HEADER}u,i,1,"open\n${good.join('\n')}\nend",i,2,x\nlast,i,3,x\n`;
    for (const name of ['long.csv', 'long.csv.gz']) {
      const got = await decodeFiles([writeInput(dir, name, text)]);
      expect(got.rows.length).toBe(120_001);
      expect(got.rows.at(-1)?.user).toBe('last');
      expect(got.rejects).toEqual([
        { line: 2, raw: 'u,i,1,"open', reason: UNCLOSED_PAST_BOUND },
        { line: 120_003, raw: 'end",i,2,x', reason: 'unbalanced quotes' },
      ]);
    }
  });

  it('carries records over every block boundary (plain and gzip reads), agreeing with one-record files', async () => {
    // ~2.5 MiB with a three-line record every 101 rows: several 1 MiB reads, and many gzip ones.
    const lines: string[] = [];
    const want: string[] = [];
    for (let k = 0; k < 100_000; k++) {
      if (k % 101 === 0) {
        lines.push(`u${k},"i,${k}",${k},"a,""b""\r`, `c`, `d"`);
        want.push(`i,${k}`);
      } else {
        lines.push(`u${k},i${k},${k},`);
        want.push(`i${k}`);
      }
    }
    const text = `${HEADER}${lines.join('\n')}\n`;
    for (const name of ['big.csv', 'big.csv.gz']) {
      const got = await decodeFiles([writeInput(dir, name, text)]);
      expect(got.rejects).toEqual([]);
      expect(got.rows.map((r) => r.item)).toEqual(want);
      expect(got.rows.map((r) => r.ts)).toEqual(want.map((_, k) => k));
    }
  });

  it('leaves TSV and atomic quoting on one line, as before', async () => {
    const tsv = 'user\titem\tts\n"u""1"\ti1\t1\n"u2\ti2\t2\nu3\ti3\t3\n';
    const got = await decodeFiles([writeInput(dir, 'q.tsv', tsv)]);
    expect(got.rows.map((r) => r.user)).toEqual(['u"1', 'u3']);
    expect(got.rejects).toEqual([{ line: 3, raw: '"u2\ti2\t2', reason: 'unbalanced quotes' }]);
    const atomic = 'user_id:token\titem_id:token\ttimestamp:float\n"u\n1"\ti1\t1\nu2\ti2\t2\n';
    const a = await decodeFiles([writeInput(dir, 'q.inter', atomic)]);
    expect(a.rows.map((r) => r.user)).toEqual(['u2']);
    expect(a.rejects.map((r) => [r.line, r.reason])).toEqual([
      [2, 'unbalanced quotes'],
      [3, 'unbalanced quotes'],
    ]);
  });
});

describe('ingest of CSV records that span lines', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = tmpDir();
    store = await openStore(path.join(dir, 'q.db'));
  });
  afterEach(() => store.close());

  it('stores the rows whose fields span lines and records rejects at the line where the record starts', async () => {
    const file = writeInput(dir, 'q.csv', `${HEADER}u1,"i,1",1,"x\ny"\nu2,i2,bad,z\n`);
    const s = await ingest(store, 'interactions', [file], { maxErrors: '100%' });
    expect(s).toMatchObject({ status: 'complete', rowsRead: 2, inserted: 1, rejected: 1 });
    expect((await readInteractionLog(store)).items.map((u) => u.externalId)).toEqual(['i,1']);
    expect(await listRejects(store, s.batchId)).toEqual([{ file, line: 4, raw: 'u2,i2,bad,z', reason: 'bad timestamp "bad"' }]);
  });
});
