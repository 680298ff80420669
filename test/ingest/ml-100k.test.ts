import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrityCheck, openStore, readInteractionLog, readStats, type Store } from '../../src/store/index.js';
import { ingest, sharedPath, tmpDir } from './helpers.js';

const DIR = sharedPath('datasets/ml-100k') ?? '';

describe.skipIf(DIR === '')('ml-100k (RecBole atomic files)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(path.join(tmpDir(), 'ml.db'));
  });
  afterAll(() => store.close());

  it('stores 943 users, 1,682 items and 100,000 interactions, and adds 0 the second time', async () => {
    const files = ['ml-100k.user', 'ml-100k.item', 'ml-100k.inter'].map((f) => path.join(DIR, f));
    expect(await ingest(store, 'users', [files[0]])).toMatchObject({ status: 'complete', rowsRead: 943, inserted: 943, rejected: 0 });
    expect(await ingest(store, 'items', [files[1]])).toMatchObject({ status: 'complete', rowsRead: 1682, inserted: 1682, rejected: 0 });
    expect(await ingest(store, 'interactions', [files[2]])).toMatchObject({ status: 'complete', rowsRead: 100_000, inserted: 100_000, rejected: 0 });
    expect(await ingest(store, 'users', [files[0]])).toMatchObject({ inserted: 0, updated: 0, duplicates: 943 });
    expect(await ingest(store, 'items', [files[1]])).toMatchObject({ inserted: 0, updated: 0, duplicates: 1682 });
    expect(await ingest(store, 'interactions', [files[2]])).toMatchObject({ inserted: 0, duplicates: 100_000 });

    const s = await readStats(store);
    expect(s).toMatchObject({ users: 943, items: 1682, interactions: 100_000 });
    // From the dataset README: every user has 20..737 ratings; 1997-09-20 .. 1998-04-22 UTC.
    expect(s.perUser).toMatchObject({ min: 20, max: 737 });
    expect(s.timeRange?.from.slice(0, 10)).toBe('1997-09-20');
    expect(s.timeRange?.to.slice(0, 10)).toBe('1998-04-22');
    expect(await integrityCheck(store)).toEqual([]);
  });

  it('exposes features by kind: genres multi-valued, item 1 is Toy Story', async () => {
    const log = await readInteractionLog(store);
    expect(log.interactions.ts.length).toBe(100_000);
    expect(log.featureFields).toContainEqual({ entity: 'item', name: 'class', kind: 'multi' });
    const toy = log.items.find((i) => i.externalId === '1');
    expect(toy?.features).toEqual({ movie_title: ['Toy', 'Story'], release_year: '1995', class: ['Animation', "Children's", 'Comedy'] });
    expect(log.users.find((u) => u.externalId === '1')?.features).toEqual({ age: '24', gender: 'M', occupation: 'technician', zip_code: '85711' });
    const ratings = Array.from(log.interactions.weight);
    expect(ratings.filter((r) => r === 5).length).toBe(21_201);
  });
});
