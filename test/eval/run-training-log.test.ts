import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExperimentData, type ExperimentData } from '../../src/eval/experiment-data.js';
import { buildRunTrainingLog, type RunTrainingLog } from '../../src/eval/run-training-log.js';
import { chronologicalSplit, syntheticRows, writeTsv, type Row } from './synthetic-split.js';

const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-runlog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const split = chronologicalSplit(syntheticRows());
// A "published" noisy copy: train plus 3 extra rows for u1, on items u1 never had.
const u1Items = new Set(
  syntheticRows()
    .filter((r) => r.user === 'u1')
    .map((r) => r.item),
);
const extra: Row[] = Array.from({ length: 200 }, (_, k) => `i${200 - k}`)
  .filter((item) => !u1Items.has(item))
  .slice(0, 3)
  .map((item, k) => ({ user: 'u1', item, ts: 1580000001 + k }));
let data: ExperimentData;

beforeAll(async () => {
  writeTsv(dir, 'train.tsv', split.train);
  writeTsv(dir, 'valid.tsv', split.valid);
  writeTsv(dir, 'test.tsv', split.test);
  writeTsv(dir, 'train_noise10.tsv', [...split.train, ...extra]);
  data = await loadExperimentData(dir);
}, 30_000);

const pairs = (run: RunTrainingLog, valid: 0 | 1): string[] =>
  Array.from(run.log.interactions.user, (u, k) =>
    run.validation[k] === valid ? `${run.log.users[u].externalId} ${run.log.items[run.log.interactions.item[k]].externalId}` : '',
  )
    .filter(Boolean)
    .sort();
const rowPairs = (rows: readonly Row[]): string[] => rows.map((r) => `${r.user} ${r.item}`).sort();

describe('loadExperimentData + buildRunTrainingLog', () => {
  it('marks which file each row comes from', () => {
    const count = (m: Uint8Array) => m.reduce((a, b) => a + b, 0);
    expect([count(data.train), count(data.valid), count(data.test)]).toEqual([split.train.length, split.valid.length, split.test.length]);
    expect([...data.publishedNoise.keys()]).toEqual([0.1]);
    expect(count(data.publishedNoise.get(0.1)!)).toBe(split.train.length + extra.length);
  });

  it('noise 0 trains on train.tsv, validates on valid.tsv', () => {
    const run = buildRunTrainingLog(data, 0, 'uniform', 1);
    expect(run.noiseSource).toBe('clean');
    expect(pairs(run, 0)).toEqual(rowPairs(split.train));
    expect(pairs(run, 1)).toEqual(rowPairs(split.valid));
  });

  it('uses the published noisy copy for its ratio in uniform mode', () => {
    const run = buildRunTrainingLog(data, 0.1, 'uniform', 1);
    expect(run.noiseSource).toBe('published');
    expect(extra.length).toBe(3);
    expect(pairs(run, 0)).toEqual(rowPairs([...split.train, ...extra]));
  });

  it('injects seeded noise into train only, never on a valid or test pair, otherwise', () => {
    const run = buildRunTrainingLog(data, 0.2, 'uniform', 1);
    expect(run.noiseSource).toBe('injected');
    const train = pairs(run, 0);
    expect(train.length).toBe(split.train.length + Math.round(0.2 * split.train.length));
    expect(pairs(run, 1)).toEqual(rowPairs(split.valid));
    const heldOut = new Set(rowPairs([...split.valid, ...split.test]));
    expect(train.filter((p) => heldOut.has(p))).toEqual([]);
    expect(pairs(buildRunTrainingLog(data, 0.2, 'uniform', 1), 0)).toEqual(train); // same seed, same noise
    expect(pairs(buildRunTrainingLog(data, 0.2, 'uniform', 2), 0)).not.toEqual(train);
    // popularity mode has no published copy: injected even at 0.1
    expect(buildRunTrainingLog(data, 0.1, 'popularity', 1).noiseSource).toBe('injected');
  });

  it('bots mode adds new users that only exist in training', () => {
    const run = buildRunTrainingLog(data, 0.1, 'bots', 3);
    const bots = run.log.users.slice(data.log.users.length).map((u) => u.externalId);
    expect(bots).toEqual(['@bot-1', '@bot-2', '@bot-3', '@bot-4', '@bot-5']);
    expect(pairs(run, 0).filter((p) => p.startsWith('@bot-')).length).toBe(Math.round(0.1 * split.train.length));
  });
});
