import type { NoiseMode } from '../../data/noise.js';
import type { RunMetrics, RunRecord } from '../experiment-results.js';

/** Mean and sample standard deviation of one metric over the seeds of a cell. */
export interface MeanStd {
  readonly mean: number;
  readonly std: number;
  readonly n: number;
}

/** One (variant, noise kind, noise) cell of an experiment, aggregated over seeds. */
export interface CellSummary {
  readonly variant: string;
  readonly noise: number;
  /** The injected kind; null at noise 0 (shared by every kind) and for files that predate kinds. */
  readonly noiseKind: NoiseMode | null;
  readonly metrics: Readonly<Record<keyof RunMetrics, MeanStd>>;
  /** The same on the liked test rows (`likedMetrics`); null when the runs have none. */
  readonly liked: Readonly<Record<keyof RunMetrics, MeanStd>> | null;
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

/** A noise level as the reports name it: `noise 0 %` (clean), `bots 10 %`, or `noise 10 %` when the kind is unknown. */
export function noiseLabel(noiseKind: NoiseMode | null, noise: number): string {
  return `${noise === 0 || noiseKind === null ? 'noise' : noiseKind} ${Math.round(noise * 100)} %`;
}

/** The noise columns of a report: the clean level first, then each kind (in order of appearance) by ascending ratio. */
export function noiseColumns(cells: readonly Pick<CellSummary, 'noise' | 'noiseKind'>[]): { noiseKind: NoiseMode | null; noise: number }[] {
  const kinds = [...new Set(cells.filter((c) => c.noise > 0).map((c) => c.noiseKind))];
  const noises = (kind: NoiseMode | null) => [...new Set(cells.filter((c) => c.noise > 0 && c.noiseKind === kind).map((c) => c.noise))].sort((a, b) => a - b);
  return [
    ...(cells.some((c) => c.noise === 0) ? [{ noiseKind: null, noise: 0 }] : []),
    ...kinds.flatMap((noiseKind) => noises(noiseKind).map((noise) => ({ noiseKind, noise }))),
  ];
}

function meanStdOf(group: readonly RunRecord[], pick: (r: RunRecord) => RunMetrics): Record<keyof RunMetrics, MeanStd> {
  const keys = Object.keys(pick(group[0])) as (keyof RunMetrics)[];
  return Object.fromEntries(keys.map((k) => [k, meanStd(group.map((r) => pick(r)[k]))])) as Record<keyof RunMetrics, MeanStd>;
}

/**
 * Groups runs by (variant, noise kind, noise), averages every metric over seeds (and the liked-test
 * metrics where every run of the cell has them) and computes each cell's relative Recall@20 drop
 * from its variant's clean (noise 0) cell. Cells keep the order in which variants first appear,
 * then the order of {@link noiseColumns}.
 */
export function summarizeRuns(runs: readonly RunRecord[]): CellSummary[] {
  const variants = [...new Set(runs.map((r) => r.variant))];
  const kindOf = (r: RunRecord): NoiseMode | null => (r.noise === 0 ? null : (r.noiseKind ?? null));
  const columns = noiseColumns(runs.map((r) => ({ noise: r.noise, noiseKind: kindOf(r) })));
  const cells: CellSummary[] = [];
  for (const variant of variants) {
    let clean: number | null = null;
    for (const { noise, noiseKind } of columns) {
      const group = runs.filter((r) => r.variant === variant && r.noise === noise && kindOf(r) === noiseKind);
      if (group.length === 0) continue;
      const metrics = meanStdOf(group, (r) => r.metrics);
      const liked = group.every((r) => r.likedMetrics !== undefined) ? meanStdOf(group, (r) => r.likedMetrics!) : null;
      if (noise === 0) clean = metrics['recall@20'].mean;
      const recall20Drop = clean !== null && clean > 0 ? (clean - metrics['recall@20'].mean) / clean : null;
      cells.push({ variant, noise, noiseKind, metrics, liked, recall20Drop });
    }
  }
  return cells;
}
