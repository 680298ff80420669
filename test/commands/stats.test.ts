import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatStats } from '../../src/commands/stats.js';
import { openStore, readStats, type Store } from '../../src/store/index.js';
import { ingest, tmpDir, writeInput } from '../ingest/helpers.js';

describe('stats: untimed and tied shares', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = tmpDir();
    store = await openStore(path.join(dir, 's.db'));
  });
  afterEach(() => store.close());

  it('counts the timed interactions in (user, second) groups of two or more, by hand', async () => {
    const timed = [
      'user,item,ts',
      'u1,i1,10', // u1@10: a pair → 2 tied
      'u1,i2,10',
      'u2,i1,10', // u2@10: alone (same second as u1, another user)
      'u2,i2,20', // u2@20: three → 3 tied
      'u2,i3,20',
      'u2,i4,20',
      'u3,i1,30', // alone
      'u1,i3,30', // alone (u1's other second)
    ];
    await ingest(store, 'interactions', [writeInput(dir, 't.csv', timed.join('\n'))]);
    await ingest(store, 'interactions', [writeInput(dir, 'n.csv', 'user,item\nu4,i1\nu4,i2\n')]);
    const s = await readStats(store);
    // 5 of 8 timed rows are tied; 2 of 10 rows are untimed (and never count as tied).
    expect(s).toMatchObject({ interactions: 10, untimedShare: 0.2, tiedShare: 5 / 8 });
    const text = formatStats(s).split('\n');
    expect(text).toContain('untimed        20.0 %');
    expect(text).toContain('tied times     62.5 %');
  });

  it('prints "-" for shares of an empty store and for ties without timed rows', async () => {
    expect(await readStats(store)).toMatchObject({ interactions: 0, untimedShare: null, tiedShare: null, timeRange: null });
    expect(formatStats(await readStats(store))).toContain('untimed        -\ntied times     -\n');
    await ingest(store, 'interactions', [writeInput(dir, 'n.csv', 'user,item\nu1,i1\n')]);
    expect(formatStats(await readStats(store))).toContain('time range     -\nuntimed        100.0 %\ntied times     -\n');
  });
});
