import type { PairedDifference } from '../metrics/paired-difference.js';
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

/**
 * The noise of the gate's recall comparisons: the standard errors of the per-user paired
 * differences (candidate − active, candidate − most-popular) on the sampled hold-out users
 * (`pairedDifference`). Zero where the figures are taken as exact.
 */
export interface GateNoise {
  /** Of candidate − active; 0 without an active model. */
  readonly versusActive: number;
  readonly versusMostPop: number;
}

/** No noise: every recall difference counts, however small (the rule before the gate sampled). */
export const EXACT: GateNoise = { versusActive: 0, versusMostPop: 0 };

/** Pass, or fail with the reason recorded on the model. */
export type GateDecision = { readonly pass: true } | { readonly pass: false; readonly reason: string };

const f4 = (x: number): string => x.toFixed(4);

/** A paired recall difference in words, for logs and the CLI: `+0.0123 ± SE 0.0045 on 10000 users`. */
export function formatDifference(d: PairedDifference): string {
  return `${d.difference >= 0 ? '+' : ''}${f4(d.difference)} ± SE ${f4(d.standardError)} on ${d.users} users`;
}

/**
 * Decides whether a candidate may replace the active model: every number finite (no divergence),
 * held-out pairs closer than random user-item pairs (alignment ratio) and item uniformity within
 * its collapse bound, and two recall comparisons on the same sampled hold-out users, each allowed
 * its noise (twice the standard error of the paired difference, the usual two-SE bound), so that
 * the gate refuses on a difference larger than the sample can produce by chance, never on the
 * chance itself:
 *
 * - Recall@K at least the active model's minus the larger of the tolerance and 2 × SE. The
 *   tolerance stays as a floor: it is the regression an operator accepts even when it is real
 *   (a large sample's small SE would otherwise refuse every slight, measurable dip).
 * - Recall@K at least the most-popular ranking's, with neither tolerance nor noise allowance: a
 *   model below that floor serves users worse than a chart would, whatever the active model
 *   scores, and the first model has no active one to be compared with. Its SE is reported.
 *
 * Pure.
 */
export function gateDecision(
  candidate: HoldoutScore,
  active: HoldoutScore | undefined,
  mostPopular: PopularityFloor,
  config: Pick<RetrainConfig, 'tolerance' | 'k' | 'maxAlignmentRatio' | 'maxItemUniformity'>,
  noise: GateNoise = EXACT,
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
  if (active !== undefined && candidate.recall < active.recall - Math.max(config.tolerance, 2 * noise.versusActive)) {
    return {
      pass: false,
      reason: `recall@${config.k} ${f4(candidate.recall)} < active ${f4(active.recall)} − max(tolerance ${config.tolerance}, 2 × SE ${f4(noise.versusActive)}) on the same hold-out (${candidate.users} users)`,
    };
  }
  // No allowance for noise here: a candidate that even looks below a chart on the sample is not
  // worth the risk of a swap, and a first model has no active one to fall back on.
  if (candidate.recall < mostPopular.recall) {
    return {
      pass: false,
      reason: `recall@${config.k} ${f4(candidate.recall)} < most-popular ${f4(mostPopular.recall)} (SE of the difference ${f4(noise.versusMostPop)}) on the same hold-out (${candidate.users} users)`,
    };
  }
  return { pass: true };
}
