import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RECORD_RULES, ingestInteractionRows, parseRangeFlag, prepareFiles, type RecordRules } from '../../src/ingest/index.js';
import { integrityCheck, listRejects, openStore, readInteractionLog, readStats, readUserHistory, UNTIMED_TS, type Store } from '../../src/store/index.js';
import { ingest, tmpDir, writeInput } from './helpers.js';

/** The widest --time-range: the whole Date range. */
const WIDE: RecordRules = { ...DEFAULT_RECORD_RULES, time: parseRangeFlag('time-range', '-8640000000000..8640000000000') };

describe('logs without time', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = tmpDir();
    store = await openStore(path.join(dir, 'u.db'));
  });
  afterEach(() => store.close());

  it('ingests a CSV without a time column; a re-run adds nothing; reads give NaN and stats no time range', async () => {
    const file = writeInput(dir, 'a.csv', 'user_id,item_id,rating\nu1,i1,4\nu1,i2,5\nu2,i1,3\n');
    expect((await prepareFiles('interactions', [file], {}))[0].columns?.time).toBe(-1);
    expect(await ingest(store, 'interactions', [file])).toMatchObject({ status: 'complete', rowsRead: 3, inserted: 3, rejected: 0 });
    expect(await ingest(store, 'interactions', [file])).toMatchObject({ status: 'complete', inserted: 0, duplicates: 3 });
    const log = await readInteractionLog(store);
    expect(log.interactions.ts.length).toBe(3);
    expect([...log.interactions.ts].every(Number.isNaN)).toBe(true);
    expect([...log.interactions.weight]).toEqual([4, 5, 3]);
    expect(await readStats(store)).toMatchObject({ interactions: 3, timeRange: null, untimedShare: 1, tiedShare: null });
    // A read bounded in time still has them: they have no time to be after `until`.
    expect((await readInteractionLog(store, { until: 0 })).interactions.ts.length).toBe(3);
    expect((await readUserHistory(store, 'u1', 10))?.recent.map((h) => [h.item.id, h.ts])).toEqual([
      ['i1', null],
      ['i2', null],
    ]);
    expect(await integrityCheck(store)).toEqual([]);
  });

  it('mixes timed and untimed rows: untimed first, the range over timed rows only, dedupe per kind', async () => {
    await ingest(store, 'interactions', [writeInput(dir, 't.csv', 'user,item,ts\nu1,i1,100\nu2,i2,200\nu1,i2,300\n')]);
    // u1·i1 untimed is a different interaction from u1·i1 at 100: both stay.
    const untimed = writeInput(dir, 'n.tsv', 'user\titem\nu1\ti1\nu3\ti3\n');
    expect(await ingest(store, 'interactions', [untimed])).toMatchObject({ inserted: 2, duplicates: 0 });
    const log = await readInteractionLog(store);
    expect([...log.interactions.ts]).toEqual([NaN, NaN, 100, 200, 300]);
    const s = await readStats(store);
    expect(s.timeRange).toEqual({ from: '1970-01-01T00:01:40.000Z', to: '1970-01-01T00:05:00.000Z' });
    expect(s.untimedShare).toBe(2 / 5);
    expect((await readUserHistory(store, 'u1', 10))?.recent.map((h) => h.ts)).toEqual([300, 100, null]);
  });

  it('reads JSON Lines rows with an absent, null or empty time as untimed, and rejects an empty CSV time cell', async () => {
    const jsonl = writeInput(
      dir,
      'a.jsonl',
      '{"user":"u1","item":"i1"}\n{"user":"u1","item":"i2","ts":null}\n{"user":"u2","item":"i1","ts":""}\n{"user":"u2","item":"i2","ts":7}\n',
    );
    expect(await ingest(store, 'interactions', [jsonl])).toMatchObject({ inserted: 4, rejected: 0 });
    expect([...(await readInteractionLog(store)).interactions.ts]).toEqual([NaN, NaN, NaN, 7]);
    const csv = writeInput(dir, 'b.csv', 'user,item,ts\nu3,i1,5\nu3,i2,\n');
    const s = await ingest(store, 'interactions', [csv], { maxErrors: '1' });
    expect(await listRejects(store, s.batchId)).toEqual([{ file: csv, line: 3, raw: 'u3,i2,', reason: 'missing timestamp' }]);
  });

  it('stores the untimed key as given in the contract, below every accepted time', async () => {
    expect(UNTIMED_TS).toBe(Number.MIN_SAFE_INTEGER);
    await ingest(store, 'interactions', [writeInput(dir, 'x.csv', 'user,item,ts\nu1,i1,-8640000000000\n')], { rules: WIDE });
    await ingest(store, 'interactions', [writeInput(dir, 'y.csv', 'user,item\nu1,i1\n')]);
    expect([...(await readInteractionLog(store)).interactions.ts]).toEqual([NaN, -8.64e12]);
  });
});

describe('timestamps outside the Date range', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = tmpDir();
    store = await openStore(path.join(dir, 'r.db'));
  });
  afterEach(() => store.close());

  it('rejects them with the line and the bound, by the byte path, the quoted path and JSON Lines alike; stats still read', async () => {
    const rows = ['user,item,ts', 'u1,i1,8640000000000', 'u1,i2,8640000000001', '"u2",i1,-900719925474099', 'u2,i2,999999999999999', 'u3,i1,-9007199254740991'];
    const csv = writeInput(dir, 'big.csv', rows.join('\n'));
    const s = await ingest(store, 'interactions', [csv], { maxErrors: '10', rules: WIDE });
    expect(s).toMatchObject({ status: 'complete', inserted: 1, rejected: 4 });
    const bound = '(--time-range -8640000000000..8640000000000)';
    expect(await listRejects(store, s.batchId)).toEqual([
      { file: csv, line: 3, raw: rows[2], reason: `timestamp 8640000000001 out of range ${bound}` },
      { file: csv, line: 4, raw: rows[3], reason: `timestamp -900719925474099 out of range ${bound}` },
      { file: csv, line: 5, raw: rows[4], reason: `timestamp 999999999999999 out of range ${bound}` },
      // The untimed key itself, given as a time, is refused too (16 digits are no timestamp).
      { file: csv, line: 6, raw: rows[5], reason: 'bad timestamp "-9007199254740991"' },
    ]);
    const jsonl = writeInput(dir, 'big.jsonl', '{"user":"u3","item":"i1","ts":-8640000000001}\n');
    const j = await ingest(store, 'interactions', [jsonl], { maxErrors: '10', rules: WIDE });
    expect((await listRejects(store, j.batchId))[0]).toMatchObject({ line: 1, reason: `timestamp -8640000000001 out of range ${bound}` });
    expect(await readStats(store)).toMatchObject({ interactions: 1, untimedShare: 0, timeRange: { from: '+275760-09-13T00:00:00.000Z' } });
  });

  it('applies the same rule to POST /v1/interactions rows', async () => {
    const r = await ingestInteractionRows(
      store,
      [
        { user: 'u1', item: 'i1', ts: 1e13 },
        { user: 'u1', item: 'i2', ts: 5 },
      ],
      { source: 'api' },
    );
    expect(r).toMatchObject({ inserted: 1, rejected: [{ index: 0, reason: 'timestamp 10000000000000 out of range (--time-range 1970-01-01..2100-01-01)' }] });
  });
});
