import type { NoiseMode } from '../data/noise.js';
import { buildSnapshot, type Snapshot } from '../data/snapshot.js';
import type { Kernels } from '../kernels/kernels.js';
import { disposeModel } from '../model/two-tower-model.js';
import type { InteractionColumns } from '../store/index.js';
import { formatEpoch } from '../train/progress-observer.js';
import { trainModel } from '../train/train-model.js';
import type { ExperimentData } from './experiment-data.js';
import type { RunRecord } from './experiment-results.js';
import { variantConfig } from './experiment-variants.js';
import { evaluateRun } from './evaluate-run.js';
import { epochRecord } from './run-record-parts.js';
import { maskedRows, buildRunTrainingLog, type RunTrainingLog } from './run-training-log.js';

/** One run of the experiment grid. */
export interface ExperimentCell {
  readonly variant: string;
  readonly noise: number;
  /** The kind of noise injected; null on clean runs (noise 0), which every kind shares. */
  readonly noiseKind: NoiseMode | null;
  readonly seed: number;
  /** Overrides the trainer's maximum epochs. */
  readonly epochs?: number;
}

/**
 * Runs cells of one experiment, keeping the last (noise kind, noise, seed)'s training log and
 * snapshot: cells are scheduled variant-innermost, so the variants of a cell share them. With
 * `testMinRating` each run is also tested on the liked test rows only.
 */
export class ExperimentCellRunner {
  private cached: { key: string; run: RunTrainingLog; snapshot: Snapshot } | null = null;
  private readonly test: InteractionColumns;

  constructor(
    private readonly kernels: Kernels,
    private readonly data: ExperimentData,
    private readonly testMinRating?: number,
  ) {
    this.test = maskedRows(data.log.interactions, data.test);
  }

  private prepare(cell: ExperimentCell): { run: RunTrainingLog; snapshot: Snapshot } {
    const key = `${cell.noiseKind}/${cell.noise}/${cell.seed}`;
    if (this.cached?.key !== key) {
      // A clean cell has no kind; its log is the clean train rows whatever the kind says.
      const run = buildRunTrainingLog(this.data, cell.noise, cell.noiseKind ?? 'uniform', cell.seed);
      this.cached = { key, run, snapshot: buildSnapshot(run.log, { split: { kind: 'explicit', validation: run.validation } }) };
    }
    return this.cached;
  }

  /**
   * Trains the cell's variant with its seed (early stopping on the explicit validation rows), tests
   * the best-validation model once on the clean test rows, and frees the model.
   */
  async run(cell: ExperimentCell, onEpochLine: (line: string) => void): Promise<RunRecord> {
    const { run, snapshot } = this.prepare(cell);
    const t0 = performance.now();
    const config = { ...variantConfig(cell.variant), seed: cell.seed, ...(cell.epochs !== undefined ? { epochs: cell.epochs } : {}) };
    const trained = await trainModel(this.kernels, snapshot, config, {}, { onEpochEnd: (e) => onEpochLine(formatEpoch(e)) });
    const trainSeconds = (performance.now() - t0) / 1000;
    const tested = evaluateRun(this.kernels, trained.model, snapshot, run, this.test, this.testMinRating);
    disposeModel(trained.model);
    return {
      variant: cell.variant,
      noise: cell.noise,
      ...(cell.noiseKind === null ? {} : { noiseKind: cell.noiseKind }),
      seed: cell.seed,
      ...tested,
      epochs: trained.epochs.map(epochRecord),
      bestEpoch: trained.bestEpoch,
      trainSeconds,
    };
  }
}
