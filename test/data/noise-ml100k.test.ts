import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { injectNoise } from '../../src/data/noise.js';
import type { InteractionColumns } from '../../src/store/interaction-log.js';
import { skipWithout } from '../missing-dependency.js';

const DIR = path.resolve(import.meta.dirname, '../../../shared/benchmarks/ml-100k');

/** Reads a benchmark TSV (user_id, item_id, rating, timestamp; MovieLens ids 1..943 / 1..1682). */
function readSplit(name: string): InteractionColumns {
  const rows = readFileSync(path.join(DIR, name), 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t').map(Number));
  return {
    user: Int32Array.from(rows, (r) => r[0] - 1),
    item: Int32Array.from(rows, (r) => r[1] - 1),
    ts: Float64Array.from(rows, (r) => r[3]),
    weight: Float32Array.from(rows, (r) => r[2]),
  };
}

describe.skipIf(skipWithout(DIR, !existsSync(DIR), 'the suite data beside the repository'))('injectNoise on the ml-100k benchmark split (SGL protocol)', () => {
  it('adds 7,993 pairs (+10 %) that are in none of train, valid and test', () => {
    const train = readSplit('train.tsv');
    const valid = readSplit('valid.tsv');
    const test = readSplit('test.tsv');
    const forbidden = {
      user: Int32Array.from([...valid.user, ...test.user]),
      item: Int32Array.from([...valid.item, ...test.item]),
    };
    const out = injectNoise(train, { mode: 'uniform', ratio: 0.1, numUsers: 943, numItems: 1682, forbidden }, createRng(2024));
    // Same count as the published train_noise10.tsv: round(0.1 × 79,926) = 7,993.
    expect(out.interactions.user.length).toBe(79_926 + 7_993);
    const key = (u: number, i: number) => u * 1682 + i;
    const known = new Set<number>();
    for (const c of [train, valid, test]) c.user.forEach((u, r) => known.add(key(u, c.item[r])));
    const added = new Set<number>();
    out.injected.forEach((flag, r) => {
      if (flag === 1) added.add(key(out.interactions.user[r], out.interactions.item[r]));
    });
    expect(added.size).toBe(7_993);
    expect([...added].filter((k) => known.has(k))).toEqual([]);
    // Injected ratings follow the train distribution: all in 1..5.
    const ratings = new Set(Array.from(out.interactions.weight).filter((_, r) => out.injected[r] === 1));
    expect([...ratings].sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
