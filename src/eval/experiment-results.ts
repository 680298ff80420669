import { z } from 'zod';
import { NOISE_MODES } from '../data/noise.js';
import { withCurrentMetricKeys } from '../metrics/legacy-metric-keys.js';

/**
 * The results of training runs, as written to `results.json` by `contrarec experiment` and
 * read back by the report renderers. Defined as a schema because the file is read from disk
 * (a user may hand-edit or merge it), so it is validated at that boundary.
 */
export const epochRecordSchema = z.object({
  epoch: z.number().int().nonnegative(),
  seconds: z.number().nonnegative(),
  /** Loss parts averaged over the epoch, e.g. `{ main: 5.1, ssl: 3.2, total: 5.4 }`. */
  loss: z.record(z.string(), z.number()),
  /** Validation figures of the epoch (`validRecall20`, `validNdcg20` in files of earlier versions). */
  'recall@20': z.number(),
  'ndcg@20': z.number(),
  alignment: z.number(),
  uniformity: z.number(),
});

/** Test-split metrics of one run, at its best-validation epoch. */
export const runMetricsSchema = z.object({
  'recall@10': z.number(),
  'recall@20': z.number(),
  'ndcg@10': z.number(),
  'ndcg@20': z.number(),
  'headRecall@20': z.number(),
  'tailRecall@20': z.number(),
  'coverage@20': z.number(),
  alignment: z.number(),
  uniformity: z.number(),
});

/** One training run: a variant at a noise level of a noise kind with a seed. */
export const runRecordSchema = z.object({
  variant: z.string().min(1),
  noise: z.number().min(0),
  /** Which noise was injected; absent on clean runs (noise 0) and in files of earlier versions, which had one kind per file. */
  noiseKind: z.enum(NOISE_MODES).optional(),
  seed: z.number().int(),
  metrics: runMetricsSchema,
  /** The same model on the test rows rated at least the experiment's `testMinRating` (the real-noise protocol). */
  likedMetrics: runMetricsSchema.optional(),
  epochs: z.array(epochRecordSchema),
  bestEpoch: z.number().int().nonnegative(),
  trainSeconds: z.number().nonnegative(),
});

/**
 * A whole experiment: what was run, on what, and every run's record. Files written by earlier
 * versions (`recall20`-style keys) read under the current keys.
 */
export const experimentResultsSchema = withCurrentMetricKeys(
  z.object({
    createdAt: z.string(),
    dataset: z.string(),
    command: z.string(),
    /** `--test-min-rating`: the runs' `likedMetrics` count only test rows rated at least this. */
    testMinRating: z.number().optional(),
    runs: z.array(runRecordSchema),
  }),
);

export type EpochRecord = z.infer<typeof epochRecordSchema>;
export type RunMetrics = z.infer<typeof runMetricsSchema>;
export type RunRecord = z.infer<typeof runRecordSchema>;
export type ExperimentResults = z.infer<typeof experimentResultsSchema>;
