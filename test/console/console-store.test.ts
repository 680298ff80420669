import { afterEach, beforeEach, expect, it } from 'vitest';
import { findItems, markItemDeleted, openStore, readUserHistory, searchItems, type Store } from '../../src/store/index.js';
import { ingest, tmpDir, writeInput } from '../ingest/helpers.js';
import { describeEachDialect } from '../store/store-dialects.js';

// The store reads behind the console: type-ahead search, features by ids, a user's recent history.
describeEachDialect('console store reads', (freshDb) => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = tmpDir();
    store = await openStore(await freshDb());
    const items = [
      'item,title,genre,tags,price',
      'i1,Star Trek,scifi,space|war,10',
      'i10,Stardust,fantasy,magic,12',
      'i2,Lone Star,drama,western,9',
      'i3,A_100% film,doc,,80',
      'x9,Trekking,doc,outdoor,5',
    ];
    await ingest(store, 'items', [writeInput(dir, 'items.csv', items.join('\n'))]);
    await ingest(store, 'users', [writeInput(dir, 'users.csv', 'user,region\nu1,north\nu2,south\n')]);
    const rows = ['user,item,ts,event', 'u1,i1,100,view', 'u1,i2,300,view', 'u1,i10,200,buy', 'u1,i3,300,view', 'u2,i1,50,view'];
    await ingest(store, 'interactions', [writeInput(dir, 'i.csv', rows.join('\n'))]);
  });
  afterEach(() => store.close());

  it('searches ids by prefix before titles, shortest id first, case-insensitively', async () => {
    // "i1" exact, then id prefix i10; no title contains "i1".
    expect((await searchItems(store, 'i1', 10)).map((i) => i.id)).toEqual(['i1', 'i10']);
    // "star": title prefix (Star Trek i1, Stardust i10) before a title containing it (Lone Star i2).
    expect((await searchItems(store, 'STAR', 10)).map((i) => i.id)).toEqual(['i1', 'i10', 'i2']);
    expect((await searchItems(store, 'star', 2)).map((i) => i.id)).toEqual(['i1', 'i10']);
    // Categorical fields count (genre), numbers and tags do not: "10" is i1's price, "space" a tag.
    expect((await searchItems(store, 'scifi', 10)).map((i) => i.id)).toEqual(['i1']);
    expect(await searchItems(store, 'space', 10)).toEqual([]);
    expect(await searchItems(store, '  ', 10)).toEqual([]);
  });

  it('treats LIKE wildcards as text and leaves removed items out', async () => {
    // As wildcards, "%" and "_" would match every item and "t%k" Star Trek; as text, only i3's title.
    expect((await searchItems(store, '%', 10)).map((i) => i.id)).toEqual(['i3']);
    expect((await searchItems(store, '_', 10)).map((i) => i.id)).toEqual(['i3']);
    expect(await searchItems(store, 't%k', 10)).toEqual([]);
    expect((await searchItems(store, 'A_100%', 10)).map((i) => i.id)).toEqual(['i3']);
    await markItemDeleted(store, 'i10');
    expect((await searchItems(store, 'star', 10)).map((i) => i.id)).toEqual(['i1', 'i2']);
    expect(await findItems(store, ['i10'])).toEqual([
      { id: 'i10', features: { title: 'Stardust', genre: 'fantasy', tags: ['magic'], price: 12 }, deleted: true },
    ]);
  });

  it('returns features by ids in the order asked, unknown ids left out', async () => {
    expect((await findItems(store, ['i2', 'nope', 'i1'])).map((i) => [i.id, i.features['title']])).toEqual([
      ['i2', 'Lone Star'],
      ['i1', 'Star Trek'],
    ]);
    expect(await findItems(store, [])).toEqual([]);
  });

  it("reads a user's most recent interactions, newest first (ties by item id), with the total", async () => {
    const h = (await readUserHistory(store, 'u1', 3))!;
    expect(h.features).toEqual({ region: 'north' });
    expect(h.interactions).toBe(4);
    // ts 300 twice (i2, i3 by id), then 200 (i10); 100 (i1) is beyond the limit.
    expect(h.recent.map((r) => [r.item.id, r.ts, r.event])).toEqual([
      ['i2', 300, 'view'],
      ['i3', 300, 'view'],
      ['i10', 200, 'buy'],
    ]);
    expect(await readUserHistory(store, 'u2', 0)).toEqual({ id: 'u2', features: { region: 'south' }, interactions: 1, recent: [] });
    expect(await readUserHistory(store, 'nobody', 5)).toBeUndefined();
  });
});
