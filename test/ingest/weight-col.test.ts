import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareFiles } from '../../src/ingest/index.js';
import type { MutableInteractionRow } from '../../src/ingest/interaction-row.js';
import { DEFAULT_RECORD_RULES } from '../../src/ingest/record-rules.js';
import { scanInteractionBytes, type ByteFields } from '../../src/ingest/scan-interaction-bytes.js';
import { scanInteractionLine } from '../../src/ingest/scan-interaction-line.js';
import { listRejects, openStore, readInteractionLog, type Store } from '../../src/store/index.js';
import { ingest, tmpDir, writeInput } from './helpers.js';

describe('--weight-col', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = tmpDir();
    store = await openStore(path.join(dir, 'w.db'));
  });
  afterEach(() => store.close());

  it('stores the strength column as the weight, winning over the rating, and leaves the rating where it is empty', async () => {
    const file = writeInput(dir, 'play.tsv', 'User_ID\tHours\tGame_ID\trating\n1\t273.0\t10\t5\n1\t0\t11\t4\n2\t\t10\t3\n3\t\t11\t\n');
    const s = await ingest(store, 'interactions', [file], { userCol: 'User_ID', itemCol: 'Game_ID', weightCol: 'hours' });
    expect(s).toMatchObject({ status: 'complete', inserted: 4, rejected: 0 });
    expect([...(await readInteractionLog(store)).interactions.weight]).toEqual([273, 0, 3, 1]);
  });

  it('rejects a negative or non-numeric weight with its line, while the rest goes in', async () => {
    const file = writeInput(dir, 'w.csv', 'user,item,hours\nu1,i1,2.5\nu1,i2,-1\nu2,i1,lots\nu2,i2,"1e2"\n');
    const s = await ingest(store, 'interactions', [file], { weightCol: 'hours', maxErrors: '2' });
    expect(s).toMatchObject({ status: 'complete', inserted: 2, rejected: 2 });
    expect(await listRejects(store, s.batchId)).toEqual([
      { file, line: 3, raw: 'u1,i2,-1', reason: 'weight -1 out of range (--weight-range 0..1e15)' },
      { file, line: 4, raw: 'u2,i1,lots', reason: 'bad weight "lots"' },
    ]);
    expect([...(await readInteractionLog(store)).interactions.weight]).toEqual([2.5, 100]);
  });

  it('reads the named key of JSON Lines rows, and names a missing column with the flag', async () => {
    const jsonl = writeInput(dir, 'a.jsonl', '{"user":"u1","item":"i1","rating":2,"hours":7}\n{"user":"u1","item":"i2","hours":-3}\n');
    const s = await ingest(store, 'interactions', [jsonl], { weightCol: 'hours', maxErrors: '1' });
    expect(s).toMatchObject({ inserted: 1, rejected: 1 });
    expect([...(await readInteractionLog(store)).interactions.weight]).toEqual([7]);
    const csv = writeInput(dir, 'b.csv', 'user,item\nu1,i1\n');
    await expect(prepareFiles('interactions', [csv], { weightCol: 'hours' })).rejects.toThrow(`${csv}: header has no column "hours" (given by --weight-col)`);
  });

  it('reads a column named by both --rating-col and --weight-col as the weight only', async () => {
    const [f] = await prepareFiles('interactions', [writeInput(dir, 'c.csv', 'user,item,rating\nu1,i1,-2\n')], { weightCol: 'rating' });
    expect(f.columns).toMatchObject({ rating: -1, weight: 2 });
  });
});

describe('the byte path with a weight column agrees with the string path', () => {
  // user, item, rating, weight (no time: untimed rows).
  const cols = { user: 0, item: 1, time: -1, rating: 2, weight: 3, event: -1 };
  const viaBytes = (line: string): MutableInteractionRow | undefined => {
    const buf = Buffer.from(line, 'utf8');
    const x: ByteFields = { userStart: 0, userEnd: 0, itemStart: 0, itemEnd: 0, eventStart: 0, eventEnd: 0, ts: 0, weight: 0 };
    if (!scanInteractionBytes(buf, 0, buf.length, 44, 4, cols, DEFAULT_RECORD_RULES, x)) return undefined;
    const s = (a: number, b: number): string => buf.toString('utf8', a, b);
    return { user: s(x.userStart, x.userEnd), item: s(x.itemStart, x.itemEnd), ts: x.ts, weight: x.weight, event: '' };
  };
  const viaString = (line: string): MutableInteractionRow | string => {
    const r = { user: '', item: '', ts: 0, event: '', weight: 1 };
    return scanInteractionLine(line, ',', 4, cols, DEFAULT_RECORD_RULES, r) ?? r;
  };

  it('on plain lines, and leaves the rest to the string path', async () => {
    // A given weight wins and the rating is then not read (so a junk rating beside it does not matter).
    for (const line of ['u,i,5,12.5', 'u,i,5,', 'u,i,,0', 'u,i,,', 'u,i,x,1']) {
      expect(viaBytes(line), line).toEqual(viaString(line));
    }
    expect(viaBytes('u,i,5,12.5')?.weight).toBe(12.5);
    expect(viaBytes('u,i,5,')?.weight).toBe(5);
    expect(viaBytes('u,i,x,1')?.weight).toBe(1);
    for (const line of ['u,i,x,', 'u,i,1,-1', 'u,i,1,x']) expect(viaBytes(line), line).toBeUndefined();
    expect(viaString('u,i,x,')).toBe('bad rating "x"');
    expect(viaString('u,i,1,-1')).toBe('weight -1 out of range (--weight-range 0..1e15)');
  });
});
