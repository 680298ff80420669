import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACT_FILES } from '../../src/model/artifact/artifact-layout.js';
import { evaluateStoredModel } from '../../src/eval/evaluate-stored-model.js';
import { openStore } from '../../src/store/index.js';
import { parseKs } from '../../src/commands/eval.js';
import { chronologicalSplit, REPO, syntheticRows, trainOnSyntheticSplit, writeTsv, type Row } from './synthetic-split.js';

const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let dbPath = '';
const split = chronologicalSplit(syntheticRows());
let artifactDir = '';
let trainedValidRecall20 = 0;

beforeAll(async () => {
  ({ dbPath, artifactDir, validRecall20: trainedValidRecall20 } = await trainOnSyntheticSplit(dir, split));
}, 60_000);

/**
 * The protocol computed from scratch, from the artifact's files and the CSV rows only: dot
 * products in float64, stored items removed, stable sort by score (ties: lower row first),
 * Recall@K = hits / |T(u)|, NDCG@K = Σ 1/log2(r+1) / Σ_{r ≤ min(K,|T|)} 1/log2(r+1), and the
 * alignment E‖u − v‖² over the (user, test item) pairs.
 */
function naiveMetrics(stored: readonly Row[], test: readonly Row[], k: number) {
  const ids = (name: string): string[] => JSON.parse(readFileSync(path.join(artifactDir, name), 'utf8'));
  const f32 = (name: string): Float32Array => {
    const b = readFileSync(path.join(artifactDir, name));
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  const userIds = ids(ARTIFACT_FILES.userIds);
  const itemIds = ids(ARTIFACT_FILES.itemIds);
  const U = f32(ARTIFACT_FILES.userEmbeddings);
  const V = f32(ARTIFACT_FILES.itemEmbeddings);
  const dim = V.length / itemIds.length;
  let recall = 0;
  let ndcg = 0;
  let users = 0;
  let squaredDistance = 0;
  let pairs = 0;
  for (let u = 0; u < userIds.length; u++) {
    const truth = new Set(test.filter((r) => r.user === userIds[u] && itemIds.includes(r.item)).map((r) => r.item));
    if (truth.size === 0) continue;
    for (const id of truth) {
      const i = itemIds.indexOf(id);
      for (let d = 0; d < dim; d++) squaredDistance += (U[u * dim + d] - V[i * dim + d]) ** 2;
      pairs++;
    }
    const seen = new Set(stored.filter((r) => r.user === userIds[u]).map((r) => r.item));
    const scored = itemIds
      .map((id, i) => ({ id, i, s: Array.from({ length: dim }, (_, d) => U[u * dim + d] * V[i * dim + d]).reduce((a, b) => a + b, 0) }))
      .filter((x) => !seen.has(x.id))
      .sort((a, b) => b.s - a.s || a.i - b.i)
      .slice(0, k);
    const hits = scored.map((x) => (truth.has(x.id) ? 1 : 0));
    recall += hits.reduce((a: number, b) => a + b, 0) / truth.size;
    const dcg = hits.reduce((a: number, h, r) => a + h / Math.log2(r + 2), 0);
    let idcg = 0;
    for (let r = 0; r < Math.min(k, truth.size); r++) idcg += 1 / Math.log2(r + 2);
    ndcg += dcg / idcg;
    users++;
  }
  return { recall: recall / users, ndcg: ndcg / users, users, alignment: squaredDistance / pairs };
}

describe('evaluateStoredModel (real store, trained model, artifact)', () => {
  it('--test FILE: matches an independent computation from the artifact, stored items excluded, unknown users counted', async () => {
    const extra: Row[] = [
      { user: 'ghost', item: 'i1', ts: 1 },
      { user: 'ghost', item: 'i2', ts: 2 },
      { user: split.test[0].user, item: 'no-such-item', ts: 3 },
    ];
    const testFile = writeTsv(dir, 'test.tsv', [...split.test, ...extra]);
    const r = await evaluateStoredModel({ dbPath, split: 'test', ks: [10, 20], testFile });
    const naive10 = naiveMetrics([...split.train, ...split.valid], split.test, 10);
    const naive20 = naiveMetrics([...split.train, ...split.valid], split.test, 20);
    expect(r.evaluatedUsers).toBe(naive20.users);
    expect(r.evaluatedUsers).toBe(300);
    expect(r.atK[0].recall).toBeCloseTo(naive10.recall, 10);
    expect(r.atK[0].ndcg).toBeCloseTo(naive10.ndcg, 10);
    expect(r.atK[1].recall).toBeCloseTo(naive20.recall, 10);
    expect(r.atK[1].ndcg).toBeCloseTo(naive20.ndcg, 10);
    expect(r.quality.alignment).toBeCloseTo(naive20.alignment, 6); // E‖u − v‖² over the test pairs
    expect(r.atK[1].recall).toBeGreaterThan(20 / 200); // better than chance after 3 epochs on planted topics
    expect([r.unknownUserRows, r.unknownUsers, r.unknownItemRows]).toEqual([2, 1, 1]);
    expect(r.catalogueItems).toBe(200);
  });

  it('--test FILE with a minimum rating: the truth is the rows rated at least that, the others stay ranked', async () => {
    // Every other test row liked (5), the rest disliked (2).
    const rated = split.test.map((r, k) => ({ ...r, rating: k % 2 === 0 ? 5 : 2 }));
    const testFile = writeTsv(dir, 'rated-test.tsv', rated);
    const r = await evaluateStoredModel({ dbPath, split: 'test', ks: [20], testFile, testMinRating: 4 });
    const liked = rated.filter((x) => x.rating >= 4);
    const naive = naiveMetrics([...split.train, ...split.valid], liked, 20);
    expect(r.evaluatedUsers).toBe(naive.users);
    expect(r.atK[0].recall).toBeCloseTo(naive.recall, 10);
    expect(r.atK[0].ndcg).toBeCloseTo(naive.ndcg, 10);
    expect(r.belowMinRatingRows).toBe(rated.length - liked.length);
    await expect(evaluateStoredModel({ dbPath, split: 'test', ks: [20], testFile, testMinRating: 6 })).rejects.toThrow(
      `nothing to evaluate: no ${testFile} interaction rated at least 6 (does the file have a rating column?) has a user and an item the model knows`,
    );
    await expect(evaluateStoredModel({ dbPath, split: 'valid', ks: [20], testMinRating: 4 })).rejects.toThrow(
      '--test-min-rating needs --test FILE: it filters the test file by its rating column',
    );
  });

  it('--test FILE: items already in the store never count as hits', async () => {
    // Truth = interactions that are in the store: every one is excluded from the ranking.
    const r = await evaluateStoredModel({ dbPath, split: 'test', ks: [50], testFile: writeTsv(dir, 'stored.tsv', split.valid) });
    expect(r.evaluatedUsers).toBe(300);
    expect(r.atK[0].recall).toBe(0);
    expect(r.atK[0].hitRate).toBe(0);
  });

  it("valid split: the training snapshot's hold-out, users embedded without it, as the trainer measured", async () => {
    const r = await evaluateStoredModel({ dbPath, split: 'valid', ks: [20] });
    // The trainer validated on the same hold-out with its own embedding path (embedAllUsers on the snapshot).
    expect(r.atK[0].recall).toBeCloseTo(trainedValidRecall20, 6);
    expect(r.evaluatedUsers).toBe(300);
  });

  it('says what to do when there is no database, no model, or no test file', async () => {
    const missing = path.join(dir, 'none.db');
    await expect(evaluateStoredModel({ dbPath: missing, split: 'valid', ks: [20] })).rejects.toThrow(
      `no database at ${missing}: ingest data and train a model first (\`contrarec ingest\`, \`contrarec train\`)`,
    );
    const empty = path.join(dir, 'empty', 'c.db');
    (await openStore(empty)).close();
    await expect(evaluateStoredModel({ dbPath: empty, split: 'valid', ks: [20] })).rejects.toThrow(
      `no active model in ${empty}: train one with \`contrarec train --db ${empty}\`, or name a version with --model`,
    );
    await expect(evaluateStoredModel({ dbPath, version: 'v0', split: 'valid', ks: [20] })).rejects.toThrow(`no model version "v0" in ${dbPath}`);
    await expect(evaluateStoredModel({ dbPath, split: 'test', ks: [20] })).rejects.toThrow(
      '--split test needs --test FILE: the store holds no test split (its models train on everything but the validation hold-out)',
    );
  });

  it('contrarec eval prints the table (CLI, built dist) and --k is checked', async () => {
    const testFile = writeTsv(dir, 'cli-test.tsv', [...split.test, { user: 'ghost', item: 'i1', ts: 1 }]);
    const r = spawnSync(process.execPath, [path.join(REPO, 'dist/src/cli.js'), 'eval', '--db', dbPath, '--test', testFile, '--k', '10,20'], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const expected = await evaluateStoredModel({ dbPath, split: 'test', ks: [10, 20], testFile });
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`model ${expected.version} · test split (${testFile}) · 300 users · 200 items ranked`);
    expect(lines[1].split(/ +/)).toEqual(['K', 'Recall', 'NDCG', 'HitRate', 'Coverage', 'HeadRecall', 'TailRecall']);
    expect(lines[3].split(/ +/).slice(0, 3)).toEqual(['20', expected.atK[1].recall.toFixed(4), expected.atK[1].ndcg.toFixed(4)]);
    expect(lines[5]).toBe('skipped 1 rows of 1 users the model does not know');
    expect(parseKs('10, 20,50')).toEqual([10, 20, 50]);
    expect(() => parseKs('10,0')).toThrow("--k: expected positive integers separated by commas, got '10,0'");
  }, 30_000);
});
