import type { RetrainConfig } from './retrain-config.js';

/** The numbers the gate looks at for one model, measured on the same hold-out. */
export interface HoldoutScore {
  readonly recall: number;
  readonly ndcg: number;
  readonly alignment: number;
  /** Alignment of the same users with uniformly drawn items: the no-learning baseline. */
  readonly randomAlignment: number;
  readonly itemUniformity: number;
  /** Users with at least one held-out item (the denominator). */
  readonly users: number;
}

/** The most-popular ranking on the same hold-out: the floor any candidate must reach. */
export interface PopularityFloor {
  readonly recall: number;
  readonly ndcg: number;
  /** Users with at least one held-out item (the same users the models are scored on). */
  readonly users: number;
}

/** Pass, or fail with the reason recorded on the model. */
export type GateDecision = { readonly pass: true } | { readonly pass: false; readonly reason: string };

const f4 = (x: number): string => x.toFixed(4);

/**
 * Decides whether a candidate may replace the active model: every number finite (no divergence),
 * held-out pairs closer than random user-item pairs (alignment ratio) and item uniformity within
 * its collapse bound, Recall@K at least the active model's minus the tolerance, and Recall@K at
 * least the most-popular ranking's on the same hold-out (no tolerance: a model below that floor
 * serves users worse than a chart would, whatever the active model scores, and the first model
 * has no active one to be compared with). Pure.
 */
export function gateDecision(
  candidate: HoldoutScore,
  active: HoldoutScore | undefined,
  mostPopular: PopularityFloor,
  config: Pick<RetrainConfig, 'tolerance' | 'k' | 'maxAlignmentRatio' | 'maxItemUniformity'>,
): GateDecision {
  const bad = Object.entries(candidate).find(([, v]) => !Number.isFinite(v));
  if (bad !== undefined) return { pass: false, reason: `diverged: ${bad[0]} on the hold-out is ${bad[1]}` };
  if (candidate.itemUniformity > config.maxItemUniformity) {
    return {
      pass: false,
      reason: `collapsed: item uniformity ${f4(candidate.itemUniformity)} > bound ${config.maxItemUniformity} (items crowd onto one point)`,
    };
  }
  if (candidate.alignment > config.maxAlignmentRatio * candidate.randomAlignment) {
    return {
      pass: false,
      reason: `collapsed: alignment ${f4(candidate.alignment)} > ${config.maxAlignmentRatio} × ${f4(candidate.randomAlignment)} of random user-item pairs (held-out pairs no closer than random ones)`,
    };
  }
  if (active !== undefined && candidate.recall < active.recall - config.tolerance) {
    return {
      pass: false,
      reason: `recall@${config.k} ${f4(candidate.recall)} < active ${f4(active.recall)} − tolerance ${config.tolerance} on the same hold-out (${candidate.users} users)`,
    };
  }
  if (candidate.recall < mostPopular.recall) {
    return {
      pass: false,
      reason: `recall@${config.k} ${f4(candidate.recall)} < most-popular ${f4(mostPopular.recall)} on the same hold-out (${candidate.users} users)`,
    };
  }
  return { pass: true };
}
