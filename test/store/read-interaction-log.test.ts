import { afterEach, beforeEach, expect, it } from 'vitest';
import { markItemDeleted, openStore, readInteractionLog, readStats, nearestRank, type Store } from '../../src/store/index.js';
import { ingest, tmpDir, writeInput } from '../ingest/helpers.js';
import { describeEachDialect } from './store-dialects.js';

describeEachDialect('readInteractionLog and readStats', (freshDb) => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = tmpDir();
    store = await openStore(await freshDb());
    // u1: 3 interactions, u2: 2, u3: 1; i1: 3, i2: 2, i3: 1. Times 100..600.
    const rows = ['user,item,ts,rating', 'u1,i1,100,5', 'u2,i1,200,4', 'u1,i2,300,3', 'u3,i1,400,2', 'u2,i2,500,1', 'u1,i3,600,2'];
    await ingest(store, 'interactions', [writeInput(dir, 'i.csv', rows.join('\n'))]);
    await ingest(store, 'users', [writeInput(dir, 'ghost.csv', 'user,age\nu9,50\n')]);
  });
  afterEach(() => store.close());

  it('returns referenced users, the whole catalogue, sorted interactions, and honours until (exclusive)', async () => {
    const log = await readInteractionLog(store, { until: 400 });
    expect(log.users.map((u) => u.externalId)).toEqual(['u1', 'u2']);
    // i3 has no interaction before 400, but it is in the catalogue: it must still be ranked.
    expect(log.items.map((i) => i.externalId)).toEqual(['i1', 'i2', 'i3']);
    expect([...log.interactions.ts]).toEqual([100, 200, 300]);
    expect([...log.interactions.user]).toEqual([0, 1, 0]);
    expect([...log.interactions.item]).toEqual([0, 0, 1]);
    expect([...log.interactions.weight]).toEqual([5, 4, 3]);
  });

  it('leaves deleted items and their interactions out', async () => {
    expect(await markItemDeleted(store, 'i1')).toBe(true);
    expect(await markItemDeleted(store, 'i1')).toBe(false);
    const log = await readInteractionLog(store);
    expect(log.items.map((i) => i.externalId)).toEqual(['i2', 'i3']);
    expect(log.users.map((u) => u.externalId)).toEqual(['u1', 'u2']);
    expect([...log.interactions.ts]).toEqual([300, 500, 600]);
  });

  it('computes stats by hand-checkable numbers', async () => {
    // Nearest rank: [1,2,3] p25 → ceil(0.75)=1 → 1; p50 → ceil(1.5)=2 → 2; p75 → ceil(2.25)=3 → 3.
    expect(nearestRank([1, 2, 3, 4], 0.5)).toBe(2);
    const s = await readStats(store);
    expect(s).toEqual({
      users: 4, // u9 has features but no interactions
      items: 3,
      interactions: 6,
      density: 6 / 12,
      perUser: { min: 1, p25: 1, p50: 2, p75: 3, p90: 3, max: 3 },
      perItem: { min: 1, p25: 1, p50: 2, p75: 3, p90: 3, max: 3 },
      topItems: [
        { externalId: 'i1', interactions: 3 },
        { externalId: 'i2', interactions: 2 },
        { externalId: 'i3', interactions: 1 },
      ],
      timeRange: { from: '1970-01-01T00:01:40.000Z', to: '1970-01-01T00:10:00.000Z' },
      untimedShare: 0,
      tiedShare: 0,
    });
  });
});
