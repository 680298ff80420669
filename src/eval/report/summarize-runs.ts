import type { RunMetrics, RunRecord } from '../experiment-results.js';

/** Mean and sample standard deviation of one metric over the seeds of a cell. */
export interface MeanStd {
  readonly mean: number;
  readonly std: number;
  readonly n: number;
}

/** One (variant, noise) cell of an experiment, aggregated over seeds. */
export interface CellSummary {
  readonly variant: string;
  readonly noise: number;
  readonly metrics: Readonly<Record<keyof RunMetrics, MeanStd>>;
  /** Relative drop of mean Recall@20 from the same variant at noise 0: (r0 − r) / r0; null without a noise-0 cell. */
  readonly recall20Drop: number | null;
}

/** Mean and sample standard deviation (n − 1 in the denominator; 0 for a single value). */
export function meanStd(values: readonly number[]): MeanStd {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, n: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance), n };
}

/**
 * Groups runs by (variant, noise), averages every metric over seeds and computes each cell's
 * relative Recall@20 drop from its variant's clean (noise 0) cell. Cells keep the order in
 * which variants first appear, then ascending noise.
 */
export function summarizeRuns(runs: readonly RunRecord[]): CellSummary[] {
  const variants = [...new Set(runs.map((r) => r.variant))];
  const noises = [...new Set(runs.map((r) => r.noise))].sort((a, b) => a - b);
  const cells: CellSummary[] = [];
  for (const variant of variants) {
    let clean: number | null = null;
    for (const noise of noises) {
      const group = runs.filter((r) => r.variant === variant && r.noise === noise);
      if (group.length === 0) continue;
      const keys = Object.keys(group[0].metrics) as (keyof RunMetrics)[];
      const metrics = Object.fromEntries(keys.map((k) => [k, meanStd(group.map((r) => r.metrics[k]))])) as Record<keyof RunMetrics, MeanStd>;
      if (noise === 0) clean = metrics['recall@20'].mean;
      const recall20Drop = clean !== null && clean > 0 ? (clean - metrics['recall@20'].mean) / clean : null;
      cells.push({ variant, noise, metrics, recall20Drop });
    }
  }
  return cells;
}
