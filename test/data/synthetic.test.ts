import { describe, expect, it } from 'vitest';
import { csvField } from '../../src/data/synthetic/csv-field.js';
import { generateSynthetic } from '../../src/data/synthetic/generate-synthetic.js';
import { parseSyntheticConfig } from '../../src/data/synthetic/synthetic-config.js';
import { allocateActivity } from '../../src/data/synthetic/synthetic-users.js';
import { createRng } from '../../src/common/rng.js';

const config = parseSyntheticConfig({ users: 300, items: 200, interactions: 6000, noise: 0.1, seed: 7, topics: 8 });
const data = generateSynthetic(config);
const { user, item, ts, noise } = data.interactions;
const K = user.length;
/** A sparser set (density 1.5 % against the fixture's 10 %), where heavy users do not exhaust their topics. */
const sparse = generateSynthetic(parseSyntheticConfig({ users: 1000, items: 1000, interactions: 15000, noise: 0.1, seed: 1 }));

/** Share of the clean interactions that go to the 20 % most popular items. */
function top20Share(d: typeof data): number {
  const numItems = d.items.length;
  const pop = new Array(numItems).fill(0);
  let clean = 0;
  d.interactions.item.forEach((i, r) => {
    if (d.interactions.noise[r] === 0) {
      pop[i]++;
      clean++;
    }
  });
  pop.sort((a, b) => b - a);
  return pop.slice(0, Math.round(0.2 * numItems)).reduce((a, b) => a + b, 0) / clean;
}

describe('generateSynthetic: the log', () => {
  it('has exactly K rows, round(F·K) of them noise, and no repeated (user, item)', () => {
    expect(K).toBe(6000);
    expect(noise.reduce((s, x) => s + x, 0)).toBe(600);
    expect(new Set(Array.from(user, (u, r) => u * 1000 + item[r])).size).toBe(K);
  });

  it('gives every user at least 5 interactions, with long-tailed activity', () => {
    const counts = new Array(300).fill(0);
    for (const u of user) counts[u]++;
    const sorted = [...counts].sort((a, b) => a - b);
    expect(sorted[0]).toBeGreaterThanOrEqual(5);
    // Seed 7: median 17, max 60 (capped at 80 % of the user's topics' items).
    expect(sorted[299]).toBeGreaterThan(3 * sorted[150]);
    const sparseCounts = new Array(1000).fill(0);
    for (const u of sparse.interactions.user) sparseCounts[u]++;
    sparseCounts.sort((a, b) => a - b);
    // Seed 1: median 13, max 394-ish: heavy users exist when the catalogue is large enough.
    expect(sparseCounts[0]).toBeGreaterThanOrEqual(5);
    expect(sparseCounts[999]).toBeGreaterThan(10 * sparseCounts[500]);
  });

  it('is sorted by time, with strictly increasing timestamps per user', () => {
    const last = new Map<number, number>();
    for (let r = 0; r < K; r++) {
      if (r > 0) expect(ts[r]).toBeGreaterThanOrEqual(ts[r - 1]);
      expect(ts[r]).toBeGreaterThan(last.get(user[r]) ?? 0);
      last.set(user[r], ts[r]);
    }
  });
});

describe('generateSynthetic: planted structure', () => {
  it('clean interactions follow the user tastes and noise does not', () => {
    const onTaste = (want: number) => {
      let hit = 0;
      let all = 0;
      for (let r = 0; r < K; r++) {
        if (noise[r] !== want) continue;
        all++;
        if (data.users[user[r]].topics.includes(data.items[item[r]].topic)) hit++;
      }
      return hit / all;
    };
    // Users prefer 2 of 8 topics on average, so uniform noise lands on them about 25% of the time.
    expect(onTaste(0)).toBeGreaterThan(0.95);
    expect(onTaste(1)).toBeLessThan(0.4);
  });

  it('item popularity is long-tailed: the top 20% of items take most clean interactions', () => {
    // Uniform popularity would give 0.2. Sparse set: 0.67; the dense fixture flattens (0.36)
    // because its users exhaust the popular items of their topics.
    expect(top20Share(sparse)).toBeGreaterThan(0.6);
    expect(top20Share(data)).toBeGreaterThan(0.3);
  });

  it('an item topic shows in its category (about 90%) and in its tags', () => {
    const sameCategory = data.items.filter((it) => it.category === data.topics[it.topic]).length / 200;
    expect(sameCategory).toBeGreaterThan(0.85);
    expect(sameCategory).toBeLessThan(0.99);
    // Tags of one topic's items concentrate on a pool of 6: the 6 most frequent cover > 75%.
    data.topics.forEach((_, t) => {
      const freq = new Map<string, number>();
      let total = 0;
      for (const it of data.items) {
        if (it.topic !== t) continue;
        for (const tag of it.tags) {
          freq.set(tag, (freq.get(tag) ?? 0) + 1);
          total++;
        }
      }
      const top6 = [...freq.values()]
        .sort((a, b) => b - a)
        .slice(0, 6)
        .reduce((a, b) => a + b, 0);
      expect(top6 / total).toBeGreaterThan(0.75);
    });
    expect(data.items.every((it) => it.tags.length >= 1 && it.tags.length <= 4 && new Set(it.tags).size === it.tags.length)).toBe(true);
  });
});

describe('allocateActivity', () => {
  it('gives everyone at least 5, sums to the total and respects the cap', () => {
    const counts = allocateActivity(1200, new Int32Array(50).fill(40), createRng(1));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1200);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...counts)).toBeLessThanOrEqual(40);
    // Exactly full: every user at the cap.
    expect(Array.from(allocateActivity(400, new Int32Array(10).fill(40), createRng(2)))).toEqual(new Array(10).fill(40));
  });
});

describe('csvField', () => {
  it('quotes fields with commas, quotes or line breaks and doubles inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });
});
