import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, readInteractionLog, type Store } from '../../src/store/index.js';
import { ingest, tmpDir, writeInput } from './helpers.js';

// The same three interactions in every format; the log must come out identical.
// Entities are indexed in creation order (u1, u2; i1, i2); interactions sorted by
// (ts, user, item): (u2,i1,100), (u1,i2,200), (u1,i1,300).
const EXPECTED = {
  users: ['u1', 'u2'],
  items: ['i1', 'i2'],
  user: [1, 0, 0],
  item: [0, 1, 0],
  ts: [100, 200, 300],
  weight: [1, 4, 5],
};

const INPUTS: Record<string, string> = {
  'a.csv': 'user_id,item_id,timestamp,rating\nu1,i1,300,5\nu2,i1,100,1\nu1,i2,200,4\n',
  'a.tsv': 'user\titem\tts\tweight\r\nu1\ti1\t300\t5\r\nu2\ti1\t100\t1\r\nu1\ti2\t200\t4\r\n',
  'a.jsonl':
    '{"user_id":"u1","item_id":"i1","timestamp":300,"rating":5}\n\n{"user":"u2","item":"i1","ts":"100","rating":1}\n{"user":"u1","item":"i2","time":"1970-01-01T00:03:20Z","weight":4}',
  'a.inter': 'user_id:token\titem_id:token\trating:float\ttimestamp:float\nu1\ti1\t5\t300\nu2\ti1\t1\t100\nu1\ti2\t4\t200\n',
};

describe('ingest formats', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = tmpDir();
    store = await openStore(path.join(dir, 'f.db'));
  });
  afterEach(() => store.close());

  const check = async (): Promise<void> => {
    const log = await readInteractionLog(store);
    expect(log.users.map((u) => u.externalId)).toEqual(EXPECTED.users);
    expect(log.items.map((i) => i.externalId)).toEqual(EXPECTED.items);
    expect([...log.interactions.user]).toEqual(EXPECTED.user);
    expect([...log.interactions.item]).toEqual(EXPECTED.item);
    expect([...log.interactions.ts]).toEqual(EXPECTED.ts);
    expect([...log.interactions.weight]).toEqual(EXPECTED.weight);
  };

  for (const [name, text] of Object.entries(INPUTS)) {
    for (const gz of ['', '.gz']) {
      it(`reads ${name}${gz}`, async () => {
        const s = await ingest(store, 'interactions', [writeInput(dir, name + gz, text)]);
        expect(s).toMatchObject({ status: 'complete', rowsRead: 3, inserted: 3, duplicates: 0, rejected: 0 });
        await check();
      });
    }
  }

  it('ignores a UTF-8 byte order mark', async () => {
    const csv = writeInput(dir, 'bom.csv', `\uFEFF${INPUTS['a.csv']}`);
    expect(await ingest(store, 'interactions', [csv])).toMatchObject({ inserted: 3, rejected: 0 });
    const jsonl = writeInput(dir, 'bom.jsonl', '\uFEFF{"user":"u7","item":"i7","ts":1}\n');
    expect(await ingest(store, 'interactions', [jsonl])).toMatchObject({ inserted: 1, rejected: 0 });
  });

  it('reads quoted CSV fields and custom column names', async () => {
    const file = writeInput(dir, 'b.csv', 'who,"what",when,kind\n"u, 1",i1,5,view\nu2,"i ""2""",6,click\n');
    const s = await ingest(store, 'interactions', [file], { userCol: 'who', itemCol: 'WHAT', timeCol: 'when', eventCol: 'kind' });
    expect(s).toMatchObject({ inserted: 2, rejected: 0 });
    const log = await readInteractionLog(store);
    expect(log.users.map((u) => u.externalId)).toEqual(['u, 1', 'u2']);
    expect(log.items.map((u) => u.externalId)).toEqual(['i1', 'i "2"']);
  });

  it('dedupes on (user, item, ts, event): the same file twice adds nothing; another event is a new row', async () => {
    const file = writeInput(dir, 'a.csv', INPUTS['a.csv']);
    await ingest(store, 'interactions', [file]);
    const again = await ingest(store, 'interactions', [file]);
    expect(again).toMatchObject({ status: 'complete', rowsRead: 3, inserted: 0, duplicates: 3 });
    const clicks = writeInput(dir, 'c.csv', 'user,item,ts,event\nu1,i1,300,click\nu1,i1,300,\n');
    expect(await ingest(store, 'interactions', [clicks])).toMatchObject({ inserted: 1, duplicates: 1 });
    expect((await readInteractionLog(store)).interactions.ts.length).toBe(4);
  });
});
