import { describe, expect, it } from 'vitest';
import type { FeatureSpec } from '../../src/data/feature-spec.js';
import type { TimingSummary } from '../../src/data/time-order.js';
import { DEFAULT_TABLE_BUDGET_BYTES, defaultModelConfigFor, defaultTableRows, defaultWidthFor, resolveModelConfig } from '../../src/model/model-config.js';

const idSpec = (name: string, n: number): FeatureSpec => ({
  name,
  kind: 'categorical',
  tokens: Array.from({ length: n }, (_, i) => `${name}${i}`),
  boundaries: [],
});
const yearSpec: FeatureSpec = { name: 'year', kind: 'numeric', tokens: [], boundaries: [1990, 2000, 2010] };
const SECONDS: TimingSummary = { untimedShare: 0, tiedShare: 0, unorderedShare: 0 };
const UNTIMED: TimingSummary = { untimedShare: 1, tiedShare: 0, unorderedShare: 1 };

function snapshotOf(users: number, items: number, timing: TimingSummary) {
  const side = (specs: FeatureSpec[]) => ({ externalIds: [], specs, columns: [] });
  return { timing, users: side([idSpec('u', users)]), items: side([idSpec('i', items), yearSpec]) };
}

describe('default width', () => {
  it('is 256 while 256-wide tables with their two Adam moments fit the budget, then 128, then 64', () => {
    // 256 MiB / (256 × 12 B) = 87,381.3 rows; / (128 × 12 B) = 174,762.7; / (64 × 12 B) = 349,525.3
    expect(DEFAULT_TABLE_BUDGET_BYTES).toBe(268_435_456);
    expect(defaultWidthFor(1)).toBe(256);
    expect(defaultWidthFor(87_381)).toBe(256);
    expect(defaultWidthFor(87_382)).toBe(128);
    expect(defaultWidthFor(174_762)).toBe(128);
    expect(defaultWidthFor(174_763)).toBe(64);
    expect(defaultWidthFor(349_526)).toBe(64);
    expect(defaultWidthFor(5_000_000)).toBe(64);
  });

  it("counts every field's rows and the history bag's copy of the item ids", () => {
    // users 10 + items 20 + year (3 boundaries → 5 rows) + history 20
    expect(defaultTableRows(snapshotOf(10, 20, SECONDS))).toBe(55);
    // a history bag that pools the item tower's table has no copy of its own
    expect(defaultTableRows(snapshotOf(10, 20, SECONDS), true)).toBe(35);
  });

  it('lets a shared history table buy the width its copy would have taken', () => {
    // 30k users + 2 × 30k items = 90k rows: over 256-d's 87,381; 60k rows shared
    const log = snapshotOf(30_000, 30_000, UNTIMED);
    expect(resolveModelConfig(log, {})).toMatchObject({ embeddingDim: 128, shareHistoryTable: false });
    expect(resolveModelConfig(log, { shareHistoryTable: true })).toMatchObject({ embeddingDim: 256, hiddenSizes: [], shareHistoryTable: true });
  });

  it('gives every log towers without layers (its fields added), timed or not', () => {
    const timed = defaultModelConfigFor(snapshotOf(1_000, 2_000, SECONDS));
    expect([timed.embeddingDim, timed.hiddenSizes, timed.fieldCombiner]).toEqual([256, [], 'sum']);
    const untimed = defaultModelConfigFor(snapshotOf(1_000, 2_000, UNTIMED));
    expect([untimed.embeddingDim, untimed.hiddenSizes, untimed.fieldCombiner]).toEqual([256, [], 'sum']);
    // 100k users + 2 × 200k items = 500k rows: only 64 fits
    const large = defaultModelConfigFor(snapshotOf(100_000, 200_000, UNTIMED));
    expect([large.embeddingDim, large.hiddenSizes]).toEqual([64, []]);
  });

  it("gives layers set without a width their output's width, and keeps a width that was set", () => {
    const log = snapshotOf(1_000, 2_000, UNTIMED);
    expect(resolveModelConfig(log, {})).toMatchObject({ embeddingDim: 256, hiddenSizes: [], fieldCombiner: 'sum' });
    expect(resolveModelConfig(log, { hiddenSizes: [128, 64] })).toMatchObject({ embeddingDim: 64, hiddenSizes: [128, 64], fieldCombiner: 'concat' });
    expect(resolveModelConfig(log, { hiddenSizes: [64], embeddingDim: 32 })).toMatchObject({ embeddingDim: 32, hiddenSizes: [64] });
    expect(resolveModelConfig(log, { hiddenSizes: [64], fieldCombiner: 'sum' })).toMatchObject({ hiddenSizes: [64], fieldCombiner: 'sum' });
    expect(resolveModelConfig(log, { embeddingDim: 32 })).toMatchObject({ embeddingDim: 32, hiddenSizes: [] });
    expect(() => resolveModelConfig(log, { fieldCombiner: 'concat' })).toThrow('--field-combiner concat needs layers (--hidden W)');
    // no layers: the default width, the fields added
    expect(resolveModelConfig(log, { hiddenSizes: [] })).toMatchObject({ embeddingDim: 256, hiddenSizes: [], fieldCombiner: 'sum' });
    expect(resolveModelConfig(log, { hiddenSizes: [], embeddingDim: 512 })).toMatchObject({ embeddingDim: 512, hiddenSizes: [], fieldCombiner: 'sum' });
    expect(() => resolveModelConfig(log, { hiddenSizes: [], fieldCombiner: 'concat' })).toThrow('--field-combiner concat needs layers');
  });
});
