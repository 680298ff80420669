import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { integrityCheck, openStore, readInteractionLog, readStats, type FeatureField, type Store } from '../../src/store/index.js';
import { ingest, sharedPath, tmpDir } from './helpers.js';

// The untimed logs of ../shared (see its datasets/README.md), read where they lie. The flags
// are the ones the benchmark script passes; the counts are the files' own.
const DATASETS = sharedPath('datasets') ?? '';
const BENCHMARKS = sharedPath('benchmarks') ?? '';

describe('sharedPath', () => {
  it('fails under CI=true when the folder is absent, and skips (undefined) elsewhere', async () => {
    expect(() => sharedPath('no-such-folder', { CI: 'true' })).toThrow('CI=true and');
    expect(sharedPath('no-such-folder', {})).toBeUndefined();
  });
});

describe.skipIf(DATASETS === '' || BENCHMARKS === '')('published feature files and untimed splits', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(path.join(tmpDir(), 'p.db'));
  });
  afterEach(() => store.close());

  const kinds = async (entity: 'user' | 'item'): Promise<Record<string, string>> =>
    Object.fromEntries((await readInteractionLog(store)).featureFields.filter((f: FeatureField) => f.entity === entity).map((f) => [f.name, f.kind]));

  it('book-crossing: items by Book_ID without the image URLs, the stray-tab rows rejected; users by User-ID', async () => {
    const items = path.join(DATASETS, 'book-crossing/items_info.dat');
    const ignoreCols = ['Image-URL-S', 'Image-URL-M', 'Image-URL-L'];
    // 973 of 17,384 rows hold a tab inside a title or publisher ("&amp<TAB> Company"): 5.6%, past the default 1%.
    expect(await ingest(store, 'items', [items], { itemCol: 'Book_ID', ignoreCols })).toMatchObject({ status: 'rolled_back' });
    const s = await ingest(store, 'items', [items], { itemCol: 'Book_ID', ignoreCols, maxErrors: '6%' });
    expect(s).toMatchObject({ status: 'complete', rowsRead: 17_384, inserted: 16_411, rejected: 973 });
    expect(s.firstRejects[0]).toMatchObject({ file: items, line: 3, reason: 'expected 9 fields, found 11' });
    expect(await kinds('item')).toEqual({
      ISBN: 'categorical',
      'Book-Title': 'categorical',
      'Book-Author': 'categorical',
      'Year-Of-Publication': 'numeric',
      Publisher: 'categorical',
    });
    const users = await ingest(store, 'users', [path.join(DATASETS, 'book-crossing/users_info.dat')], { userCol: 'User-ID' });
    expect(users).toMatchObject({ status: 'complete', rowsRead: 2946, inserted: 2946, rejected: 0 });
    expect(await kinds('user')).toEqual({ Location: 'categorical', Age: 'numeric' });
  });

  it('anime: items by anime_ids, genres split on ", "', async () => {
    const file = path.join(DATASETS, 'anime/anime_info.dat');
    const s = await ingest(store, 'items', [file], { itemCol: 'anime_ids', multiSep: ', ', multiCols: ['genre'] });
    expect(s).toMatchObject({ status: 'complete', rowsRead: 7390, inserted: 7390, rejected: 0 });
    expect(await kinds('item')).toEqual({
      name: 'categorical',
      genre: 'multi',
      type: 'categorical',
      episodes: 'numeric',
      rating: 'numeric',
      members: 'numeric',
    });
    expect((await readInteractionLog(store)).items.find((i) => i.externalId === '1723')?.features.genre).toEqual([
      'Drama',
      'Romance',
      'School',
      'Supernatural',
    ]);
  });

  it('steam: items by Game_ID, the name never split; the untimed train split ingests once', async () => {
    const items = await ingest(store, 'items', [path.join(DATASETS, 'steam/item_info.dat')], { itemCol: 'Game_ID', multiCols: [] });
    expect(items).toMatchObject({ status: 'complete', rowsRead: 5155, inserted: 5155, rejected: 0 });
    expect(await kinds('item')).toEqual({ 'Game Name': 'categorical' });
    const train = path.join(BENCHMARKS, 'steam/train.tsv');
    expect(await ingest(store, 'interactions', [train])).toMatchObject({ status: 'complete', rowsRead: 101_692, inserted: 101_692, rejected: 0 });
    expect(await ingest(store, 'interactions', [train])).toMatchObject({ inserted: 0, duplicates: 101_692 });
    expect(await readStats(store)).toMatchObject({ users: 12_393, items: 5155, interactions: 101_692, untimedShare: 1, tiedShare: null, timeRange: null });
    expect(await integrityCheck(store)).toEqual([]);
  });
});
