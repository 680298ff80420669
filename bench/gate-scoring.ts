/**
 * `npm run bench:gate`: what the retrain gate costs at scale. For each catalogue size, a random
 * (untrained) two-tower model at the default shape (DEFAULT_MODEL_CONFIG) is saved and
 * loaded as an artifact over a synthetic log (`syntheticLog`, 40 interactions a user), and the
 * gate's scoring is timed on its sample of hold-out users (`--sample`, default 10,000): the user
 * tower over the sample in batches, the exact full ranking (native GEMM where the addon loads,
 * top-K by bounded heaps), one model's `scoreOnHoldout`, and the whole gate's scoring (candidate,
 * active and most-popular on the same sample, as `runRetrain` does). The portable float64 path
 * is timed on a few hundred users beside it. Prints a table; the 1-minute load average and the
 * gate's CPU time are printed too, since this machine's cores are shared.
 *
 * Flags: `--items 200000,1000000`, `--users N` (in the log; default sample × 1.25), `--sample N`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createRng } from '../src/common/rng.js';
import { buildSnapshot } from '../src/data/snapshot.js';
import { servingHistory } from '../src/data/serving-history.js';
import { selectBackend } from '../src/kernels/select-backend.js';
import { scoresGemmOf } from '../src/kernels/scores-gemm.js';
import { evaluateFullRanking } from '../src/metrics/evaluate-full-ranking.js';
import { pairedDifference } from '../src/metrics/paired-difference.js';
import { loadArtifact } from '../src/model/artifact/load-artifact.js';
import { saveArtifact } from '../src/model/artifact/save-artifact.js';
import { DEFAULT_MODEL_CONFIG } from '../src/model/model-config.js';
import { createTwoTowerModel, disposeModel } from '../src/model/two-tower-model.js';
import { gateSample, scoreMostPopularOnHoldout, scoreOnHoldout } from '../src/retrain/score-on-holdout.js';
import { reportBenchTable, type BenchCell } from './bench-results.js';
import { syntheticLog } from './synthetic-log.js';

const { values } = parseArgs({ options: { items: { type: 'string' }, users: { type: 'string' }, sample: { type: 'string' } } });
const catalogues = (values.items ?? '200000,1000000').split(',').map(Number);
const sampleSize = Number(values.sample ?? 10_000);
const logUsers = Number(values.users ?? Math.round(sampleSize * 1.25));
const PORTABLE_USERS = 200;
const K = 20;

const seconds = (t0: number): number => Number(((performance.now() - t0) / 1000).toFixed(2));
const stamp = (line: string): void => void process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

const kernels = await selectBackend('auto');
const matMul = scoresGemmOf(kernels);
const loadAtStart = loadavg()[0];
const rows: BenchCell[][] = [];
/** The portable runs, kept for the end: their float64 scores would make the selection's loads polymorphic, slowing the GEMM runs after them. */
const portable: (() => unknown)[] = [];

for (const numItems of catalogues) {
  const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-bench-gate-'));
  try {
    stamp(`${numItems} items: generating the log and a random model`);
    const log = syntheticLog(40 * logUsers, numItems, logUsers);
    const snapshot = buildSnapshot(log);
    const model = createTwoTowerModel(snapshot, DEFAULT_MODEL_CONFIG, createRng(1));
    const artifactDir = saveArtifact(kernels, dir, model, snapshot, {
      version: 'bench',
      backend: kernels.backend,
      config: {},
      metrics: {},
      userHistory: servingHistory(log, snapshot),
    });
    disposeModel(model);
    const artifact = loadArtifact(kernels, artifactDir);
    const dim = artifact.manifest.dim;
    const sample = gateSample(snapshot, sampleSize);
    stamp(`${numItems} items: ${sample.users.length} of ${sample.input.users.length} hold-out users sampled; timing`);

    const { trainItems } = snapshot;
    const queries = Array.from(sample.users, (u) => ({
      userId: log.users[u].externalId,
      features: log.users[u].features,
      recentItems: Array.from(trainItems.rows.subarray(trainItems.offsets[u], trainItems.offsets[u + 1]), (i) => log.items[i].externalId),
    }));
    let t = performance.now();
    const embedded = artifact.embedUsers(queries);
    const embedSeconds = seconds(t);
    const userEmbeddings = new Float32Array(log.users.length * dim);
    sample.users.forEach((u, p) => userEmbeddings.set(embedded.subarray(p * dim, (p + 1) * dim), u * dim));
    const ranking = { userEmbeddings, itemEmbeddings: artifact.itemEmbeddings, dim, exclude: sample.input.exclude, truth: sample.input.truth, ks: [K] };

    t = performance.now();
    evaluateFullRanking({ ...ranking, users: sample.users, matMul });
    const rankSeconds = seconds(t);

    t = performance.now();
    const cpu = process.cpuUsage();
    const candidate = scoreOnHoldout(kernels, artifact, log, sample, K);
    const oneModelSeconds = seconds(t);
    // The gate as runRetrain scores it: a second model (here the same artifact) and most-popular on the same users.
    t = performance.now();
    const active = scoreOnHoldout(kernels, artifact, log, sample, K);
    const floor = scoreMostPopularOnHoldout(sample, K);
    pairedDifference(candidate.recall, active.recall);
    pairedDifference(candidate.recall, floor.recall);
    const gateSeconds = Number((oneModelSeconds + seconds(t)).toFixed(2));
    const used = process.cpuUsage(cpu);
    const gateCpuSeconds = Number(((used.user + used.system) / 1e6).toFixed(1));
    portable.push(() => evaluateFullRanking({ ...ranking, users: sample.users.subarray(0, PORTABLE_USERS) }));
    disposeModel(artifact.model);
    rows.push([
      sample.users.length,
      numItems,
      dim,
      matMul ? 'native GEMM' : 'portable',
      embedSeconds,
      rankSeconds,
      oneModelSeconds,
      gateSeconds,
      gateCpuSeconds,
    ]);
    stamp(`${numItems} items: gate scoring ${gateSeconds} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

portable.forEach((run, r) => {
  const t = performance.now();
  run();
  rows[r].push(Math.round(PORTABLE_USERS / ((performance.now() - t) / 1000)));
});

reportBenchTable('gate', {
  title: `retrain gate scoring, exact full ranking on the hold-out sample (${kernels.describe()}; load average ${loadAtStart.toFixed(2)} on ${cpus().length} CPUs)`,
  columns: ['users', 'items', 'dim', 'scores', 'embed users s', 'rank s', 'one model s', 'gate s', 'gate CPU s', 'portable users/s'],
  rows,
  notes: [
    'embed users: the user tower over the sample, in batches; rank: evaluateFullRanking over the whole catalogue (scores tile by tile, top-K heaps)',
    'one model: scoreOnHoldout (item rows, user tower, ranking, alignment and uniformity); gate: two models and most-popular on the same sample (wall and CPU time, all threads)',
    `portable users/s: the float64 loops without the addon, on ${PORTABLE_USERS} users`,
  ],
});
