import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { NoiseMode } from '../data/noise.js';
import { buildSnapshot } from '../data/snapshot.js';
import { selectBackend, type BackendName } from '../model/backend/select-backend.js';
import { disposeModel } from '../model/two-tower-model.js';
import { formatEpoch } from '../train/progress-observer.js';
import { trainModel } from '../train/train-model.js';
import { loadExperimentData } from './experiment-data.js';
import type { ExperimentResults, RunRecord } from './experiment-results.js';
import { epochRecord } from './run-record-parts.js';
import { variantConfig } from './experiment-variants.js';
import { evaluateRun } from './evaluate-run.js';
import { buildExperimentReport } from './report/build-experiment-report.js';
import { runTrainingLog } from './run-training-log.js';

/** What `contrarec experiment` was asked for. */
export interface ExperimentOptions {
  /** Folder with train.tsv, valid.tsv, test.tsv (and optionally train_noiseR.tsv). */
  readonly dataset: string;
  readonly usersFile?: string;
  readonly itemsFile?: string;
  readonly variants: readonly string[];
  /** Noise ratios, e.g. [0, 0.1, 0.2]. */
  readonly noise: readonly number[];
  /** Seeds 1..seeds. */
  readonly seeds: number;
  readonly noiseMode: NoiseMode;
  /** Output folder for results.json, results.md, report.html. */
  readonly out: string;
  /** Overrides the trainer's maximum epochs (early stopping still applies). */
  readonly epochs?: number;
  readonly backend?: BackendName | 'auto';
  /** Recorded in results.json and the report. */
  readonly command: string;
  /** Progress lines (default: stderr). */
  readonly log?: (line: string) => void;
  /** Per-epoch lines as well (default true). */
  readonly epochLines?: boolean;
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

const mmss = (seconds: number): string => `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;

/**
 * The robustness experiment: for each noise ratio and seed, one training log (noise in train
 * only, see `runTrainingLog`) and snapshot (valid.tsv = the explicit validation split, used for
 * early stopping); for each variant, `trainModel` with the variant's overrides and the seed, then
 * the best-validation model tested once on the clean test split (`evaluateRun`). results.json is
 * rewritten after every run (a stopped experiment keeps what it measured); results.md and
 * report.html come from `buildExperimentReport` at the end. Progress goes to `log` as
 * `run i/N: variant noise seed — ETA mm:ss`.
 *
 * @example
 *   await runExperiment({ dataset: '../shared/benchmarks/ml-100k', variants: ['bce', 'infonce+ssl'],
 *     noise: [0, 0.2], seeds: 3, noiseMode: 'uniform', out: 'out', command: 'contrarec experiment …' });
 */
export async function runExperiment(o: ExperimentOptions): Promise<ExperimentResults> {
  const log = o.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const configs = o.variants.map((v) => ({ name: v, config: variantConfig(v) }));
  const backend = await selectBackend(o.backend ?? 'auto');
  mkdirSync(o.out, { recursive: true });
  const started = performance.now();
  const data = await loadExperimentData(o.dataset, { users: o.usersFile, items: o.itemsFile });
  const test = data.log.interactions;
  const testRows = { user: test.user.filter((_, k) => data.test[k] === 1), item: test.item.filter((_, k) => data.test[k] === 1), ts: test.ts.filter((_, k) => data.test[k] === 1), weight: test.weight.filter((_, k) => data.test[k] === 1) };
  log(`experiment: ${data.log.users.length} users, ${data.log.items.length} items, ${data.train.reduce((a, b) => a + b, 0)} train / ${data.valid.reduce((a, b) => a + b, 0)} valid / ${testRows.user.length} test rows; backend ${backend}; loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const results: ExperimentResults = { createdAt: new Date().toISOString(), dataset: path.resolve(o.dataset), command: o.command, runs: [] };
  const total = o.noise.length * o.seeds * configs.length;
  const trainStarted = performance.now();
  let done = 0;
  for (const noise of o.noise) {
    for (let seed = 1; seed <= o.seeds; seed++) {
      const run = runTrainingLog(data, noise, o.noiseMode, seed);
      const snapshot = buildSnapshot(run.log, { split: { kind: 'explicit', validation: run.validation } });
      for (const { name, config } of configs) {
        const elapsed = (performance.now() - trainStarted) / 1000;
        const eta = done === 0 ? '--:--' : mmss((elapsed / done) * (total - done));
        log(`run ${done + 1}/${total}: ${name} noise ${noise} (${run.noiseSource}) seed ${seed} — ETA ${eta}`);
        const t0 = performance.now();
        const trained = await trainModel(snapshot, { ...config, seed, ...(o.epochs !== undefined ? { epochs: o.epochs } : {}) }, {}, {
          onEpochEnd: (e) => o.epochLines !== false && log(`  ${formatEpoch(e)}`),
        });
        const trainSeconds = (performance.now() - t0) / 1000;
        const metrics = evaluateRun(trained.model, snapshot, run, testRows);
        disposeModel(trained.model);
        results.runs.push({ variant: name, noise, seed, metrics, epochs: trained.epochs.map(epochRecord), bestEpoch: trained.bestEpoch, trainSeconds } satisfies RunRecord);
        writeAtomically(path.join(o.out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
        done++;
        log(`run ${done}/${total} done: test Recall@20 ${metrics.recall20.toFixed(4)}, NDCG@20 ${metrics.ndcg20.toFixed(4)}, best epoch ${trained.bestEpoch}/${trained.epochs.length}, ${trainSeconds.toFixed(0)} s`);
      }
    }
  }
  const report = buildExperimentReport(results);
  writeAtomically(path.join(o.out, 'results.md'), report.markdown);
  writeAtomically(path.join(o.out, 'report.html'), report.html);
  log(`experiment: ${total} runs in ${mmss((performance.now() - started) / 1000)}; wrote ${path.join(o.out, 'results.json')}, results.md, report.html`);
  return results;
}
