import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { ingestInteractionRows } from '../../src/ingest/index.js';
import { runRetrain } from '../../src/retrain/run-retrain.js';
import { getActiveModel, getModel, openStore } from '../../src/store/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-floor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A store whose log is popularity and nothing else: 150 users each take 12 distinct items from
 * 200, drawn with Zipf weights 1/(r+1)^1.3, at increasing times. Ranking by popularity is the
 * best one can do here, and well above a random ranking.
 */
async function skewedStore(): Promise<string> {
  const rng = createRng(9);
  const weights = Array.from({ length: 200 }, (_, r) => 1 / (r + 1) ** 1.3);
  const total = weights.reduce((a, b) => a + b, 0);
  const draw = (): number => {
    let x = rng.next() * total;
    for (let i = 0; i < weights.length; i++) if ((x -= weights[i]) < 0) return i;
    return weights.length - 1;
  };
  const rows: { user: string; item: string; ts: number }[] = [];
  for (let u = 0; u < 150; u++) {
    const chosen = new Set<number>();
    while (chosen.size < 12) chosen.add(draw());
    [...chosen].forEach((i, k) => rows.push({ user: `u${u}`, item: `i${i}`, ts: 1_700_000_000 + k * 1000 + u }));
  }
  const dbPath = path.join(dir, 'skewed.db');
  const store = await openStore(dbPath);
  try {
    expect((await ingestInteractionRows(store, rows, { source: 'test' })).inserted).toBe(rows.length);
  } finally {
    store.close();
  }
  return dbPath;
}

describe("the retrain gate's popularity floor (real store, real training)", () => {
  it('refuses a model that ranks below most-popular on the hold-out, records why, and activates nothing', async () => {
    const dbPath = await skewedStore();
    const lines: string[] = [];
    // One epoch at a learning rate of 1e-9 leaves the towers at their random start: a useless
    // model. The alignment bound is lifted (random towers are no closer on held-out pairs than on
    // random ones), so that the popularity floor is what judges it.
    const outcome = await runRetrain({
      dbPath,
      config: { maxAlignmentRatio: 10 },
      train: { epochs: 1, learningRate: 1e-9, embeddingLearningRate: 1e-9, batchSize: 256, globalNegatives: 64 },
      model: { embeddingDim: 16, hiddenSizes: [32, 16] },
      backend: 'cpu',
      log: (line) => lines.push(line),
    });

    expect(outcome.status).toBe('failed');
    const m = /^gate: recall@20 ([\d.]+) < most-popular ([\d.]+) \(SE of the difference ([\d.]+)\) on the same hold-out \((\d+) users\)$/.exec(
      outcome.reason ?? '',
    );
    expect(m, outcome.reason).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(Number(m![2]));
    expect([m![1], m![2], m![3], Number(m![4])]).toEqual([
      outcome.candidate!.recall.toFixed(4),
      outcome.mostPop!.recall.toFixed(4),
      outcome.versusMostPop!.standardError.toFixed(4),
      150,
    ]);
    // Fewer hold-out users than the sample size: all of them are scored, and the SE is the pairs' own.
    expect(outcome.versusMostPop!.users).toBe(150);
    expect(outcome.versusMostPop!.standardError).toBeGreaterThan(0);
    expect(outcome.mostPop!.users).toBe(150);

    const store = await openStore(dbPath);
    try {
      const record = (await getModel(store, outcome.version!))!;
      expect(record.status).toBe('failed');
      expect(record.reason).toBe(outcome.reason);
      const metrics = record.metrics as { 'recall@20': number; mostPop: { 'recall@20': number }; gate: { pass: boolean; mostPop: unknown } };
      expect(metrics.gate.pass).toBe(false);
      expect(metrics.gate.mostPop).toEqual(outcome.mostPop);
      // The trainer saw it too: its validation figure is below most-popular's, and it said so.
      expect(metrics['recall@20']).toBeLessThan(metrics.mostPop['recall@20']);
      expect(lines).toContain('WARNING: this model is WORSE than ranking items by popularity.');
      expect(await getActiveModel(store)).toBeUndefined();
    } finally {
      store.close();
    }
  }, 120_000);
});
