import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { z } from 'zod';
import { UserError } from '../common/user-error.js';
import { NOISE_MODES, type NoiseMode } from '../data/noise.js';
import { EXPERIMENT_VARIANTS } from '../eval/experiment-variants.js';
import { rating } from './flag-parsers.js';

interface ExperimentFlags {
  dataset?: string;
  reportOnly?: boolean;
  users?: string;
  items?: string;
  variants: string;
  noise: string;
  seeds: string;
  out: string;
  noiseKind?: string;
  noiseMode?: string;
  testMinRating?: number;
  epochs: string;
  parallel?: string;
}

const NoiseKindSchema = z.enum(NOISE_MODES);

function positiveInt(flag: string, value: string): number {
  if (!/^[1-9]\d*$/.test(value.trim())) throw new UserError(`--${flag}: expected a positive integer, got '${value}'`);
  return Number(value);
}

/** Parses `--noise 0,0.1,0.2` into ratios ≥ 0 (exported for tests). */
export function parseNoiseList(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  const out = parts.map(Number);
  if (parts.some((s) => s === '') || out.some((x) => !Number.isFinite(x) || x < 0))
    throw new UserError(`--noise: expected ratios >= 0 separated by commas, got '${value}'`);
  return out;
}

/**
 * Parses `--noise-kind uniform,bots` into distinct kinds, in the order given (exported for tests).
 * `--noise-mode`, its one-kind predecessor, is still read as an alias; both at once is an error.
 */
export function parseNoiseKinds(noiseKind: string | undefined, noiseMode: string | undefined): NoiseMode[] {
  if (noiseKind !== undefined && noiseMode !== undefined) throw new UserError('--noise-mode is the old name of --noise-kind: give only --noise-kind');
  const flag = noiseMode === undefined ? 'noise-kind' : 'noise-mode';
  const value = noiseKind ?? noiseMode ?? 'uniform';
  const kinds = new Set<NoiseMode>();
  for (const part of value.split(',')) {
    const kind = NoiseKindSchema.safeParse(part.trim());
    if (!kind.success) throw new UserError(`--${flag}: expected one or more of ${NOISE_MODES.join(', ')} separated by commas, got '${value}'`);
    kinds.add(kind.data);
  }
  return [...kinds];
}

/**
 * `contrarec experiment`: trains every variant at every noise level with every seed on a
 * benchmark folder (each noise kind at each level above 0), tests each best-validation model once
 * on the clean test split (and with --test-min-rating also on its liked rows), and writes
 * results.json, results.md and report.html into --out.
 *
 * @example
 *   contrarec experiment --dataset ../shared/benchmarks/ml-100k \
 *     --users ../shared/datasets/ml-100k/ml-100k.user --items ../shared/datasets/ml-100k/ml-100k.item \
 *     --variants bce,infonce,infonce+ssl --noise 0,0.1,0.2 --seeds 3 --out results/ml-100k
 */
export function registerExperimentCommand(program: Command): void {
  program
    .command('experiment')
    .description('train variants × noise levels × seeds on a benchmark folder and write results.json, results.md, report.html')
    .option('--dataset <dir>', 'folder with train.tsv, valid.tsv, test.tsv (optionally train_noise10.tsv, …); required unless --report-only')
    .option('--users <file>', 'user features file (any ingest format)')
    .option('--items <file>', 'item features file (any ingest format)')
    .option('--variants <list>', `comma-separated: ${Object.keys(EXPERIMENT_VARIANTS).join(', ')}`, 'bce,infonce,infonce+ssl')
    .option('--noise <list>', 'noise ratios added to the training rows', '0,0.1,0.2')
    .option('--seeds <n>', 'seeds per cell (1..n)', '3')
    .option('--noise-kind <list>', `kinds of injected noise, comma-separated, each run at every --noise level: ${NOISE_MODES.join(', ')} (default uniform)`)
    .option('--noise-mode <mode>', 'the old name of --noise-kind (one kind), still accepted')
    .option(
      '--test-min-rating <r>',
      'also test every model on the test rows rated at least r only (the real-noise protocol: 4 on ml-100k, 7 on anime); reported beside the injected-noise figures',
      rating,
    )
    .option('--epochs <n>', 'maximum epochs per run, the same budget for every variant (early stopping still applies)', '8')
    .option('--parallel <n>', 'runs at a time, each on its own core (default: the number of cores)')
    .requiredOption('--out <dir>', 'output folder')
    .option(
      '--report-only',
      "train nothing: rewrite --out's results.md and report.html from its results.json (tables and verdicts of this version over runs already made)",
    )
    .action(async (o: ExperimentFlags) => {
      const { rewriteExperimentReport, runExperiment } = await import('../eval/run-experiment.js');
      if (o.reportOnly) {
        const { runs } = rewriteExperimentReport(o.out);
        process.stdout.write(`${o.out}/results.md\n${o.out}/report.html\n`);
        process.stderr.write(`experiment: rewrote the report of ${runs.length} runs from ${o.out}/results.json\n`);
        return;
      }
      if (o.dataset === undefined) throw new UserError('experiment: --dataset <dir> is required (or --report-only to rewrite a report from --out)');
      await runExperiment({
        dataset: o.dataset,
        usersFile: o.users,
        itemsFile: o.items,
        variants: o.variants.split(',').map((s) => s.trim()),
        noise: parseNoiseList(o.noise),
        seeds: positiveInt('seeds', o.seeds),
        noiseKinds: parseNoiseKinds(o.noiseKind, o.noiseMode),
        testMinRating: o.testMinRating,
        out: o.out,
        epochs: positiveInt('epochs', o.epochs),
        parallel: o.parallel === undefined ? availableParallelism() : positiveInt('parallel', o.parallel),
        command: `contrarec ${process.argv.slice(2).join(' ')}`,
      });
      process.stdout.write(`${o.out}/results.json\n${o.out}/results.md\n${o.out}/report.html\n`);
    });
}
