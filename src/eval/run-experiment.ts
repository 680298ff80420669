import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { NoiseMode } from '../data/noise.js';
import { selectBackend, type BackendName } from '../kernels/select-backend.js';
import { ExperimentCellRunner, type ExperimentCell } from './experiment-cell.js';
import { loadExperimentData } from './experiment-data.js';
import { startExperimentPool } from './experiment-pool.js';
import { writeFileAtomicallySync } from '../common/atomic-write.js';
import { readJsonFileSync } from '../common/json-file.js';
import { experimentResultsSchema, type ExperimentResults, type RunRecord } from './experiment-results.js';
import { variantConfig } from './experiment-variants.js';
import { buildExperimentReport } from './report/build-experiment-report.js';
import { noiseSourceOf } from './run-training-log.js';

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
  /** The kinds of noise injected, each at every ratio above 0 (ratio 0 runs once, shared by all). */
  readonly noiseKinds: readonly NoiseMode[];
  /** Also test every run on the test rows rated at least this (the real-noise protocol; `likedMetrics`). */
  readonly testMinRating?: number;
  /** Output folder for results.json, results.md, report.html. */
  readonly out: string;
  /** Overrides the trainer's maximum epochs (early stopping still applies). */
  readonly epochs?: number;
  /** Runs at a time, each on a worker thread with its own single-threaded TF.js (default 1: in-process). */
  readonly parallel?: number;
  readonly backend?: BackendName | 'auto';
  /** Recorded in results.json and the report. */
  readonly command: string;
  /** Progress lines (default: stderr). */
  readonly log?: (line: string) => void;
  /** Per-epoch lines as well (default true). */
  readonly epochLines?: boolean;
}

const mmss = (seconds: number): string => `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;

/** The grid in canonical order: the clean cells, then per kind and ratio; seeds, then variants innermost. */
export function experimentCells(o: Pick<ExperimentOptions, 'variants' | 'noise' | 'seeds' | 'noiseKinds' | 'epochs'>): ExperimentCell[] {
  const at = (noise: number, noiseKind: NoiseMode | null): ExperimentCell[] =>
    Array.from({ length: o.seeds }, (_, s) => o.variants.map((variant) => ({ variant, noise, noiseKind, seed: s + 1, epochs: o.epochs }))).flat();
  const levels = [...new Set(o.noise)];
  return [
    ...(levels.includes(0) ? at(0, null) : []),
    ...[...new Set(o.noiseKinds)].flatMap((kind) => levels.filter((n) => n > 0).flatMap((noise) => at(noise, kind))),
  ];
}

/**
 * The robustness experiment: for each noise kind, noise ratio and seed, one training log (noise
 * in train only, see `buildRunTrainingLog`; the clean log once for all kinds) and snapshot (valid.tsv = the explicit validation split, used for
 * early stopping); for each variant, `trainModel` with the variant's overrides and the seed, then
 * the best-validation model tested once on the clean test split (`evaluateRun`). results.json is
 * rewritten after every run (a stopped experiment keeps what it measured); results.md and
 * report.html come from `buildExperimentReport` at the end. Progress goes to `log` as
 * `run i/N: variant noise kind seed — ETA mm:ss`. With `testMinRating` every model is also tested
 * on the liked test rows alone, reported beside the injected-noise figures. With `parallel` > 1 the runs are spread over that
 * many worker threads (`startExperimentPool`); the figures are the same as run one by one.
 *
 * @example
 *   await runExperiment({ dataset: '../shared/benchmarks/ml-100k', variants: ['bce', 'infonce+ssl'],
 *     noise: [0, 0.2], seeds: 3, noiseKinds: ['uniform', 'bots'], out: 'out', command: 'contrarec experiment …' });
 */
// eslint-disable-next-line max-lines-per-function -- the experiment's steps in order (data, cells, pool, results, report), each one call
export async function runExperiment(o: ExperimentOptions): Promise<ExperimentResults> {
  const log = o.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  for (const v of o.variants) variantConfig(v); // an unknown variant fails before any work
  const kernels = await selectBackend(o.backend ?? 'auto');
  mkdirSync(o.out, { recursive: true });
  const started = performance.now();
  const data = await loadExperimentData(o.dataset, { users: o.usersFile, items: o.itemsFile });
  const cells = experimentCells(o);
  const total = cells.length;
  const parallel = Math.max(1, Math.min(o.parallel ?? 1, total));
  log(
    `experiment: ${data.log.users.length} users, ${data.log.items.length} items, ${count(data.train)} train / ${count(data.valid)} valid / ${count(data.test)} test rows; backend ${kernels.backend}; ${parallel} run(s) at a time; loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const pool =
    parallel > 1
      ? await startExperimentPool(parallel, {
          dataset: o.dataset,
          usersFile: o.usersFile,
          itemsFile: o.itemsFile,
          testMinRating: o.testMinRating,
          backend: o.backend ?? 'auto',
        })
      : null;
  const runner = pool === null ? new ExperimentCellRunner(kernels, data, o.testMinRating) : null;
  const results: ExperimentResults = {
    createdAt: new Date().toISOString(),
    dataset: path.resolve(o.dataset),
    command: o.command,
    ...(o.testMinRating === undefined ? {} : { testMinRating: o.testMinRating }),
    runs: [],
  };
  const records: (RunRecord | undefined)[] = new Array(total);
  const trainStarted = performance.now();
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < total) {
      const index = next++;
      const cell = cells[index];
      const elapsed = (performance.now() - trainStarted) / 1000;
      const eta = done === 0 ? '--:--' : mmss((elapsed / done) * (total - done));
      const kind = cell.noiseKind === null ? '' : ` ${cell.noiseKind}`;
      const source = noiseSourceOf(data, cell.noise, cell.noiseKind ?? 'uniform');
      log(`run ${index + 1}/${total}: ${cell.variant} noise ${cell.noise}${kind} (${source}) seed ${cell.seed} — ETA ${eta}`);
      const prefix = parallel > 1 ? `  [run ${index + 1}] ` : '  ';
      const onEpochLine = (line: string): void => void (o.epochLines !== false && log(prefix + line));
      const record = pool ? await pool.run(cell, onEpochLine) : await runner!.run(cell, onEpochLine);
      records[index] = record;
      done++;
      // Canonical order (clean, then kind and noise; seed; variant) whatever order the runs finished in.
      results.runs = records.filter((r): r is RunRecord => r !== undefined);
      writeFileAtomicallySync(path.join(o.out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
      const liked = record.likedMetrics ? ` (rated ≥ ${o.testMinRating}: ${record.likedMetrics['recall@20'].toFixed(4)})` : '';
      log(
        `run ${index + 1}/${total} done: test Recall@20 ${record.metrics['recall@20'].toFixed(4)}${liked}, NDCG@20 ${record.metrics['ndcg@20'].toFixed(4)}, best epoch ${record.bestEpoch}/${record.epochs.length}, ${record.trainSeconds.toFixed(0)} s`,
      );
    }
  };
  try {
    await Promise.all(Array.from({ length: parallel }, lane));
  } finally {
    await pool?.close();
  }
  writeReport(o.out, results);
  log(`experiment: ${total} runs in ${mmss((performance.now() - started) / 1000)}; wrote ${path.join(o.out, 'results.json')}, results.md, report.html`);
  return results;
}

function writeReport(out: string, results: ExperimentResults): void {
  const report = buildExperimentReport(results);
  writeFileAtomicallySync(path.join(out, 'results.md'), report.markdown);
  writeFileAtomicallySync(path.join(out, 'report.html'), report.html);
}

/**
 * `contrarec experiment --report-only --out DIR`: rewrites DIR's results.md and report.html from
 * its results.json (an upgrade's tables and verdicts over runs already made); trains nothing.
 */
export function rewriteExperimentReport(out: string): ExperimentResults {
  const file = path.join(out, 'results.json');
  const results = readJsonFileSync(file, experimentResultsSchema, '--report-only reads the results.json an experiment wrote');
  writeReport(out, results);
  return results;
}

function count(mask: Uint8Array): number {
  return mask.reduce((a, b) => a + b, 0);
}
