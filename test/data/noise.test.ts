import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { defaultBotCount, injectNoise, type NoiseConfig } from '../../src/data/noise.js';
import type { InteractionColumns } from '../../src/store/interaction-log.js';

const NUM_USERS = 40;
const NUM_ITEMS = 60;

/** A training set: users 0..35 (36-39 have no rows), 5-14 items each, Zipf-ish item choice. */
function makeTrain(seed: number, numItems = NUM_ITEMS): InteractionColumns {
  const rng = createRng(seed);
  const rows: [number, number, number, number][] = [];
  for (let u = 0; u < 36; u++) {
    const items = new Set<number>();
    const n = 5 + rng.int(10);
    while (items.size < n) items.add(Math.min(numItems - 1, Math.floor(Math.exp(rng.next() * Math.log(numItems))) - 1));
    for (const i of items) rows.push([u, i, 1_000_000 + u * 1000 + rng.int(500), 1 + rng.int(5)]);
  }
  rows.sort((a, b) => a[2] - b[2] || a[0] - b[0] || a[1] - b[1]);
  return {
    user: Int32Array.from(rows, (r) => r[0]),
    item: Int32Array.from(rows, (r) => r[1]),
    ts: Float64Array.from(rows, (r) => r[2]),
    weight: Float32Array.from(rows, (r) => r[3]),
  };
}

function copy(c: InteractionColumns): InteractionColumns {
  return { user: c.user.slice(), item: c.item.slice(), ts: c.ts.slice(), weight: c.weight.slice() };
}

const pairs = (c: InteractionColumns, mask?: Uint8Array, want = 1): string[] =>
  Array.from(c.user, (u, r) => `${u},${c.item[r]}`).filter((_, r) => mask === undefined || mask[r] === want);

const forbidden = { user: Int32Array.from([0, 0, 1, 2]), item: Int32Array.from([50, 51, 52, 53]) };
const config = (mode: NoiseConfig['mode'], ratio: number): NoiseConfig => ({
  mode,
  ratio,
  numUsers: NUM_USERS,
  numItems: NUM_ITEMS,
  forbidden,
});

describe.each(['uniform', 'popularity'] as const)('injectNoise %s', (mode) => {
  const train = makeTrain(1);
  const n = train.user.length;

  it('adds exactly round(ratio × n) new, distinct, never-seen, non-forbidden pairs', () => {
    const before = copy(train);
    const out = injectNoise(train, config(mode, 0.25), createRng(9));
    expect(train).toEqual(before); // input untouched
    const added = pairs(out.interactions, out.injected);
    expect(added.length).toBe(Math.round(0.25 * n));
    expect(out.interactions.user.length).toBe(n + added.length);
    expect(new Set(added).size).toBe(added.length);
    const seen = new Set([...pairs(train), ...Array.from(forbidden.user, (u, r) => `${u},${forbidden.item[r]}`)]);
    expect(added.filter((p) => seen.has(p))).toEqual([]);
    // The original rows are all still there, unchanged, and not marked.
    expect(pairs(out.interactions, out.injected, 0).sort()).toEqual(pairs(train).sort());
    expect(out.numUsers).toBe(NUM_USERS);
  });

  it('gives noise only to users with training rows, inside their time range, sorted by time', () => {
    const out = injectNoise(train, config(mode, 0.5), createRng(4));
    const { user, ts } = out.interactions;
    for (let r = 0; r < user.length; r++) {
      if (r > 0) expect(ts[r]).toBeGreaterThanOrEqual(ts[r - 1]);
      if (out.injected[r] === 0) continue;
      expect(user[r]).toBeLessThan(36);
      const own = Array.from(train.ts).filter((_, q) => train.user[q] === user[r]);
      expect(ts[r]).toBeGreaterThanOrEqual(Math.min(...own));
      expect(ts[r]).toBeLessThanOrEqual(Math.max(...own));
    }
  });

  it('is deterministic under the seed', () => {
    const a = injectNoise(train, config(mode, 0.3), createRng(5));
    expect(injectNoise(train, config(mode, 0.3), createRng(5))).toEqual(a);
    expect(injectNoise(train, config(mode, 0.3), createRng(6)).interactions.item).not.toEqual(a.interactions.item);
  });
});

describe('injectNoise modes compared', () => {
  // A sparse catalogue of 500 items, so that popular items are not already taken by everyone.
  const train = makeTrain(2, 500);
  const popularity = new Float64Array(500);
  for (const i of train.item) popularity[i]++;
  const meanPopularity = (mode: 'uniform' | 'popularity') => {
    const out = injectNoise(train, { ...config(mode, 0.3), numItems: 500 }, createRng(11));
    const items = Array.from(out.interactions.item).filter((_, r) => out.injected[r] === 1);
    return { mean: items.reduce((s, i) => s + popularity[i], 0) / items.length, items };
  };

  it('popularity mode skews towards popular items and never draws untrained items', () => {
    const uniform = meanPopularity('uniform');
    const popular = meanPopularity('popularity');
    // Seed 11: popularity noise lands on items with 4.49 training rows on average, uniform on 0.45.
    expect(popular.mean).toBeGreaterThan(3 * uniform.mean);
    expect(popular.items.every((i) => popularity[i] > 0)).toBe(true);
    expect(uniform.items.some((i) => popularity[i] === 0)).toBe(true);
  });
});

describe('injectNoise bots', () => {
  const train = makeTrain(3);
  const n = train.user.length;

  it('appends bot users that share the injected rows with distinct random items', () => {
    const out = injectNoise(train, { ...config('bots', 0.2), bots: 3 }, createRng(1));
    const count = Math.round(0.2 * n);
    expect(out.numUsers).toBe(NUM_USERS + 3);
    const { user, item } = out.interactions;
    const perBot = [0, 1, 2].map((b) => Array.from(item).filter((_, r) => user[r] === NUM_USERS + b));
    expect(perBot.map((l) => l.length).reduce((a, b) => a + b)).toBe(count);
    for (const l of perBot) {
      expect(l.length).toBeGreaterThanOrEqual(Math.floor(count / 3));
      expect(new Set(l).size).toBe(l.length);
    }
    expect(
      Array.from(user)
        .filter((_, r) => out.injected[r] === 1)
        .every((u) => u >= NUM_USERS),
    ).toBe(true);
  });

  it('by default, adds bots when 5 would each need over half the catalogue', () => {
    // 60 items: a bot takes at most 30; 5 bots hold 150 rows, 151 need 6.
    expect([defaultBotCount(10, 60), defaultBotCount(150, 60), defaultBotCount(151, 60), defaultBotCount(301, 60)]).toEqual([5, 5, 6, 11]);
    const count = Math.round(3 * n);
    const out = injectNoise(train, config('bots', 3), createRng(1));
    expect(out.numUsers).toBe(NUM_USERS + defaultBotCount(count, 60));
    expect(out.injected.reduce((a, b) => a + b, 0)).toBe(count);
  });

  it('refuses more rows per bot than there are items', () => {
    expect(() => injectNoise(train, { ...config('bots', 10), bots: 1 }, createRng(1))).toThrow(
      `injectNoise: ${Math.round(10 * n)} bot rows over 1 bots exceed the 60 items a bot can have`,
    );
  });
});

describe('injectNoise errors', () => {
  it('refuses more noise than there are unseen pairs', () => {
    const train = makeTrain(1);
    const seen = new Set([...pairs(train), ...Array.from(forbidden.user, (u, r) => `${u},${forbidden.item[r]}`)]);
    const available = 36 * NUM_ITEMS - seen.size;
    expect(() => injectNoise(train, config('uniform', 100), createRng(1))).toThrow(
      `injectNoise: cannot draw ${Math.round(100 * train.user.length)} unseen pairs, only ${available} exist`,
    );
  });

  it('refuses an empty training set and a negative ratio', () => {
    const empty = { user: new Int32Array(0), item: new Int32Array(0), ts: new Float64Array(0), weight: new Float32Array(0) };
    expect(() => injectNoise(empty, config('uniform', 0.1), createRng(1))).toThrow('injectNoise: the training set is empty');
    expect(() => injectNoise(makeTrain(1), config('uniform', -1), createRng(1))).toThrow('injectNoise: ratio must be >= 0, got -1');
  });
});
