import { z } from 'zod';

/**
 * The retrain pipeline's own settings (training and model shape come from the trainer's configs).
 * Parsed once at the boundary (CLI flags) and read as typed, readonly fields.
 */
export const RetrainConfigSchema = z.object({
  /**
   * Gate: the new model's Recall@K must be ≥ the active model's − max(tolerance, 2 × the standard
   * error of their paired difference) on the same sampled hold-out users.
   */
  tolerance: z.number().nonnegative(),
  /** K of the gate's Recall@K. */
  k: z.number().int().positive(),
  /**
   * Hold-out users the gate scores each ranking on (a fixed, seeded sample; all of them when
   * there are fewer): each is ranked exactly against the whole catalogue, so the gate's cost grows
   * with this, not with the user count, and its standard error shrinks as 1/√n.
   */
  gateSampleUsers: z.number().int().positive(),
  /**
   * Collapse bound: the alignment E‖f(u) − g(i)‖² of (user, held-out item) pairs must not exceed
   * this multiple of the same users' alignment with random items (1: positives must be closer
   * than random pairs; an absolute bound does not work, towers may sit apart on the sphere).
   */
  maxAlignmentRatio: z.number().positive(),
  /**
   * Collapse bound: item uniformity log E exp(−2‖x − y‖²) must not exceed this; it is 0 when all
   * items sit on one point and ≈ −4 when they spread over the sphere.
   */
  maxItemUniformity: z.number(),
  /** Start from the active model's weights for the ids and feature values it knows. */
  warmStart: z.boolean(),
  /** Artifacts kept: the newest this-many, plus always the active and the previous active one. */
  keepArtifacts: z.number().int().positive(),
  /** Seconds a silent retrain keeps its lease (heartbeats renew it every third of this). */
  leaseTtlSeconds: z.number().int().positive(),
  /** Gate and report only: never promote (compare runs without changing what is served). */
  dryRun: z.boolean(),
});

/** See {@link RetrainConfigSchema}. */
export type RetrainConfig = Readonly<z.infer<typeof RetrainConfigSchema>>;

/** Defaults; `warmStart` on: on ml-100k it reaches the same recall in less time (see bench/retrain.ts). */
export const DEFAULT_RETRAIN_CONFIG: RetrainConfig = {
  tolerance: 0.01,
  k: 20,
  gateSampleUsers: 10_000,
  maxAlignmentRatio: 1,
  maxItemUniformity: -0.1,
  warmStart: true,
  keepArtifacts: 5,
  leaseTtlSeconds: 300,
  dryRun: false,
};
