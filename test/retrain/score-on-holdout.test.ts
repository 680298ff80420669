import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluationInput } from '../../src/data/evaluation/evaluation-input.js';
import { servingHistory } from '../../src/data/serving-history.js';
import { buildSnapshot } from '../../src/data/snapshot.js';
import { selectBackend } from '../../src/kernels/select-backend.js';
import { evaluateFullRanking } from '../../src/metrics/evaluate-full-ranking.js';
import { evaluateMostPopular } from '../../src/metrics/evaluate-most-popular.js';
import { loadArtifact } from '../../src/model/artifact/load-artifact.js';
import { saveArtifact } from '../../src/model/artifact/save-artifact.js';
import { gateSample, sampleUsers, scoreMostPopularOnHoldout, scoreOnHoldout } from '../../src/retrain/score-on-holdout.js';
import { trainModel } from '../../src/train/train-model.js';
import { plantedLog } from '../train/planted-log.js';

const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-holdout-'));
const kernels = await selectBackend('cpu');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sampleUsers', () => {
  const users = Int32Array.from({ length: 1000 }, (_, u) => 3 * u);

  it('draws distinct users of the list, ascending, the same ones for the same seed', () => {
    const s = sampleUsers(users, 100, 7);
    expect(s).toHaveLength(100);
    expect(new Set(s).size).toBe(100);
    for (let p = 1; p < s.length; p++) expect(s[p]).toBeGreaterThan(s[p - 1]);
    for (const u of s) expect(u % 3).toBe(0);
    expect(Array.from(sampleUsers(users, 100, 7))).toEqual(Array.from(s));
    expect(Array.from(sampleUsers(users, 100, 8))).not.toEqual(Array.from(s));
    expect(Array.from(users.subarray(0, 5))).toEqual([0, 3, 6, 9, 12]); // the input is left as it was
  });

  it('takes every user when there are no more than the sample size', () => {
    expect(Array.from(sampleUsers(users, 1000, 7))).toEqual(Array.from(users));
    expect(Array.from(sampleUsers(users, 5000, 7))).toEqual(Array.from(users));
  });
});

describe('scoreOnHoldout on a sample of the hold-out', () => {
  const trainedOn = plantedLog(11);
  const snapshot0 = buildSnapshot(trainedOn);
  const { model } = trainModel(
    kernels,
    snapshot0,
    { epochs: 2, batchSize: 64, globalNegatives: 16, sslBatchSize: 16 },
    { embeddingDim: 8, hiddenSizes: [16, 8] },
  );
  const out = saveArtifact(kernels, dir, model, snapshot0, {
    version: 'v1',
    backend: 'cpu',
    config: {},
    metrics: {},
    userHistory: servingHistory(trainedOn, snapshot0),
  });
  // The night's log has an item the model never saw: its item tower embeds it.
  const log = { ...trainedOn, items: [...trainedOn.items, { externalId: 'fresh', features: { genre: 'g1' } }] };
  const snapshot = buildSnapshot(log);

  it("ranks the sampled users as the per-user path does, and returns each one's recall", () => {
    const a = loadArtifact(kernels, out);
    const sample = gateSample(snapshot, 50);
    expect(sample.input.users.length).toBe(120);
    expect(sample.users).toHaveLength(50);
    const scored = scoreOnHoldout(kernels, a, log, sample, 20);
    expect(scored.score.users).toBe(50);
    expect(scored.recall).toHaveLength(50);
    expect(scored.recall.reduce((x, y) => x + y, 0) / 50).toBeCloseTo(scored.score.recall, 12);

    // The oracle: every user and item embedded one by one, ranked by the float64 loops.
    const dim = 8;
    const known = new Map(a.itemIds.map((id, row) => [id, row]));
    const items = new Float32Array(log.items.length * dim);
    log.items.forEach((item, i) => {
      const row = known.get(item.externalId);
      items.set(
        row === undefined ? a.embedItem({ itemId: item.externalId, features: item.features }) : a.itemEmbeddings.subarray(row * dim, (row + 1) * dim),
        i * dim,
      );
    });
    expect(known.has('fresh')).toBe(false);
    const users = new Float32Array(log.users.length * dim);
    const { trainItems } = snapshot;
    for (const u of sample.users) {
      const recentItems = Array.from(trainItems.rows.subarray(trainItems.offsets[u], trainItems.offsets[u + 1]), (i) => log.items[i].externalId);
      users.set(a.embedUser({ userId: log.users[u].externalId, features: log.users[u].features, recentItems }), u * dim);
    }
    const input = evaluationInput({ kind: 'holdout', snapshot });
    const oracle = evaluateFullRanking({
      userEmbeddings: users,
      itemEmbeddings: items,
      dim,
      users: sample.users,
      exclude: input.exclude,
      truth: input.truth,
      ks: [20],
      perUser: true,
    });
    expect(scored.score.recall).toBeCloseTo(oracle.atK[0].recall, 12);
    expect(scored.score.ndcg).toBeCloseTo(oracle.atK[0].ndcg, 12);
    Array.from(scored.recall).forEach((r, p) => expect(r).toBeCloseTo(oracle.perUser!.recall[0][p], 12));
  });

  it('scores most-popular on the same sampled users, in the same order', () => {
    const sample = gateSample(snapshot, 50);
    const floor = scoreMostPopularOnHoldout(sample, 20);
    const all = evaluateMostPopular({
      itemCounts: sample.input.itemPopularity,
      users: sample.users,
      exclude: sample.input.exclude,
      truth: sample.input.truth,
      ks: [20],
      perUser: true,
    });
    expect(floor.floor).toEqual({ recall: all.atK[0].recall, ndcg: all.atK[0].ndcg, users: 50 });
    expect(Array.from(floor.recall)).toEqual(Array.from(all.perUser!.recall[0]));
    // A larger sample than the hold-out: everyone, as before the gate sampled.
    expect(scoreMostPopularOnHoldout(gateSample(snapshot, 10_000), 20).floor.users).toBe(120);
  });
});
