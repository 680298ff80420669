import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseListFlag, prepareFiles } from '../../src/ingest/index.js';
import { listRejects, openStore, readInteractionLog, type FeatureField, type Store } from '../../src/store/index.js';
import { ingest, tmpDir, writeInput } from './helpers.js';

// Synthetic files shaped like the published ones (book-crossing, anime): tab-separated, ids
// under their own names, a trailing tab on every row, URL columns, ", "-separated genres.
const BOOKS = [
  'Book_ID\tTitle\tYear\tPublisher\tImage-URL-S\tImage-URL-L',
  '1\tDecision in Normandy\t1991\tHarperPerennial\thttp://x/1s.jpg\thttp://x/1l.jpg\t',
  '2\tThe Mummies of Urumchi\t1999\tW. W. Norton &amp\t Company\thttp://x/2s.jpg\thttp://x/2l.jpg\t',
  '3\tClara Callan\tUnknown\tHarperFlamingo\thttp://x/3s.jpg\thttp://x/3l.jpg\t',
  '4\tFlu\t\tFarrar\thttp://x/4s.jpg\thttp://x/4l.jpg\t',
].join('\n');

const ANIME = [
  'anime_ids\tname\tgenre\tepisodes',
  '1723\tKimi no Na wa.\tDrama,  Romance, School \t1',
  '82\tGate: Jieitai Kanochi nite, Kaku Tatakaeri\tAction\tUnknown',
  '99\tNaruto\t\t220',
].join('\n');

describe('feature files as they are published', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = tmpDir();
    store = await openStore(path.join(dir, 'f.db'));
  });
  afterEach(() => store.close());

  const itemFields = async (): Promise<FeatureField[]> => (await readInteractionLog(store)).featureFields.filter((f) => f.entity === 'item');
  const features = async (id: string): Promise<unknown> => (await readInteractionLog(store)).items.find((i) => i.externalId === id)?.features;

  it('takes a custom id column, drops ignored columns, reads "Unknown" as missing, rejects the stray-tab row by file:line', async () => {
    const file = writeInput(dir, 'items_info.dat', BOOKS);
    const s = await ingest(store, 'items', [file], { itemCol: 'Book_ID', ignoreCols: ['image-url-s', 'Image-URL-L'], maxErrors: '1' });
    expect(s).toMatchObject({ status: 'complete', rowsRead: 4, inserted: 3, rejected: 1 });
    expect(await listRejects(store, s.batchId)).toEqual([{ file, line: 3, raw: BOOKS.split('\n')[2], reason: 'expected 6 fields, found 8' }]);
    // Year stays numeric: "Unknown" and the empty cell are missing, not words.
    expect(await itemFields()).toEqual([
      { entity: 'item', name: 'Publisher', kind: 'categorical' },
      { entity: 'item', name: 'Title', kind: 'categorical' },
      { entity: 'item', name: 'Year', kind: 'numeric' },
    ]);
    expect(await features('1')).toEqual({ Title: 'Decision in Normandy', Year: 1991, Publisher: 'HarperPerennial' });
    expect(await features('3')).toEqual({ Title: 'Clara Callan', Publisher: 'HarperFlamingo' });
    expect(await features('4')).toEqual({ Title: 'Flu', Publisher: 'Farrar' });
  });

  it('splits only the --multi-cols on a multi-character separator, trimming tokens', async () => {
    const file = writeInput(dir, 'anime_info.dat', ANIME);
    const s = await ingest(store, 'items', [file], { itemCol: 'anime_ids', multiSep: ', ', multiCols: ['genre'] });
    expect(s).toMatchObject({ status: 'complete', inserted: 3, rejected: 0 });
    expect(await itemFields()).toEqual([
      { entity: 'item', name: 'episodes', kind: 'numeric' },
      { entity: 'item', name: 'genre', kind: 'multi' },
      { entity: 'item', name: 'name', kind: 'categorical' },
    ]);
    expect(await features('1723')).toEqual({ name: 'Kimi no Na wa.', genre: ['Drama', 'Romance', 'School'], episodes: 1 });
    // One genre is still a list; the title's ", " does not split it.
    expect(await features('82')).toEqual({ name: 'Gate: Jieitai Kanochi nite, Kaku Tatakaeri', genre: ['Action'] });
    expect(await features('99')).toEqual({ name: 'Naruto', episodes: 220 });
  });

  it('without --multi-cols, any column holding the separator turns multi-valued (the old inference)', async () => {
    await ingest(store, 'items', [writeInput(dir, 'anime_info.dat', ANIME)], { itemCol: 'anime_ids', multiSep: ', ' });
    expect((await itemFields()).find((f) => f.name === 'name')?.kind).toBe('multi');
  });

  it('takes --missing-values as the whole list (empty cells stay missing), case-sensitively', async () => {
    const file = writeInput(dir, 'u.csv', 'User-ID,age,zone\nu1,NA,x\nu2,?,unknown\nu3,40,\n');
    await ingest(store, 'interactions', [writeInput(dir, 'i.csv', 'user,item\nu1,i1\nu2,i1\nu3,i1\n')]);
    await ingest(store, 'users', [file], { userCol: 'User-ID', missingValues: parseListFlag('?, NA') });
    const users = (await readInteractionLog(store)).users.map((u) => u.features);
    expect(users).toEqual([{ zone: 'x' }, { zone: 'unknown' }, { age: 40 }]);
    expect((await readInteractionLog(store)).featureFields.find((f) => f.name === 'age')?.kind).toBe('numeric');
  });

  it('treats the default missing values in JSON Lines strings too', async () => {
    await ingest(store, 'items', [writeInput(dir, 'i.jsonl', '{"id":"a","kind":"Unknown","n":3}\n{"id":"b","kind":"tv"}\n')]);
    expect(await features('a')).toEqual({ n: 3 });
  });

  it('names a column of --ignore-cols or --multi-cols that no header has', async () => {
    const file = writeInput(dir, 'anime_info.dat', ANIME);
    await expect(prepareFiles('items', [file], { itemCol: 'anime_ids', ignoreCols: ['members'] })).rejects.toThrow(
      `${file}: header has no column "members" (given by --ignore-cols)`,
    );
    const other = writeInput(dir, 'more.dat', 'anime_ids\tmembers\n1\t5\n');
    await expect(prepareFiles('items', [file, other], { itemCol: 'anime_ids', ignoreCols: ['members'] })).resolves.toHaveLength(2);
    await expect(prepareFiles('items', [file, other], { itemCol: 'anime_ids', multiCols: ['genres'] })).rejects.toThrow(
      `no given file's header has a column "genres" (given by --multi-cols)`,
    );
  });
});
