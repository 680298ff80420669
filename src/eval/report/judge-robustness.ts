import type { CellSummary } from './summarize-runs.js';

/** What the robustness experiment promises, and which variants it compares. */
export interface RobustnessTargets {
  /** The default contrastive configuration, e.g. `infonce+ssl`. */
  readonly contrastiveVariant: string;
  /** The non-contrastive baseline, e.g. `bce`. */
  readonly baselineVariant: string;
  /** The contrastive drop must be below this fraction of the baseline's drop (0.5: "less than half"). */
  readonly maxDropRatio: number;
  /** Recall@20 the contrastive variant must still reach at the highest noise level (clean LightGCN: 0.179). */
  readonly minRecallAtHighestNoise: number;
  /** Real noise (liked test rows): the contrastive variant's Recall@20 must exceed the baseline's by this relative margin (0.1: 10 %). */
  readonly realNoiseMinGain: number;
  /** Real noise: a contrastive variant it must also beat, e.g. plain `infonce` (the SSL term has to earn its place). */
  readonly realNoiseRivalVariant: string;
}

/**
 * Plain-language verdict lines: for every level of each noise kind, whether the contrastive
 * variant lost less than `maxDropRatio` of what the baseline lost; at each kind's highest level,
 * also whether it still reaches the recall floor. Says "met" or "missed" with the measured
 * figures, never hides a miss.
 */
export function judgeRobustness(cells: readonly CellSummary[], targets: RobustnessTargets): string[] {
  const noisy = cells.filter((c) => c.noise > 0);
  if (noisy.length === 0) return ['No noisy runs: nothing to judge.'];
  return [...new Set(noisy.map((c) => c.noiseKind))].flatMap((kind) => {
    const levels = [...new Set(noisy.filter((c) => c.noiseKind === kind).map((c) => c.noise))].sort((a, b) => a - b);
    return levels.flatMap((level) =>
      judgeLevel(
        (v) => cells.find((c) => c.variant === v && c.noise === level && c.noiseKind === kind),
        `+${Math.round(level * 100)} % ${kind === null ? '' : `${kind} `}noise`,
        targets,
        level === levels.at(-1),
      ),
    );
  });
}

/**
 * The real-noise protocol's verdict lines, on the clean runs (trained on every rating, the
 * disliked ones included) scored on the liked test rows: whether the contrastive variant beats
 * the baseline by `realNoiseMinGain` and beats `realNoiseRivalVariant`. Empty without liked figures.
 */
export function judgeRealNoise(cells: readonly CellSummary[], targets: RobustnessTargets): string[] {
  const liked = (v: string): number | undefined => cells.find((c) => c.variant === v && c.noise === 0)?.liked?.['recall@20'].mean;
  const con = liked(targets.contrastiveVariant);
  if (con === undefined) return [];
  const lines: string[] = [];
  const base = liked(targets.baselineVariant);
  if (base !== undefined && base > 0) {
    const gain = (con - base) / base;
    lines.push(
      `${gain >= targets.realNoiseMinGain ? 'Met' : 'Missed'}: on the liked test rows ${targets.contrastiveVariant} reaches Recall@20 ` +
        `${con.toFixed(4)}, ${targets.baselineVariant} ${base.toFixed(4)}: ${gain >= 0 ? '+' : ''}${(gain * 100).toFixed(1)} % ` +
        `(target: at least +${targets.realNoiseMinGain * 100} %).`,
    );
  }
  const rival = liked(targets.realNoiseRivalVariant);
  if (rival !== undefined && targets.realNoiseRivalVariant !== targets.contrastiveVariant) {
    lines.push(
      `${con > rival ? 'Met' : 'Missed'}: on the liked test rows ${targets.contrastiveVariant} reaches Recall@20 ${con.toFixed(4)}, ` +
        `${targets.realNoiseRivalVariant} ${rival.toFixed(4)} (target: above ${targets.realNoiseRivalVariant}).`,
    );
  }
  return lines;
}

function judgeLevel(find: (variant: string) => CellSummary | undefined, label: string, targets: RobustnessTargets, highest: boolean): string[] {
  const con = find(targets.contrastiveVariant);
  const base = find(targets.baselineVariant);
  const lines: string[] = [];
  if (con?.recall20Drop != null && base?.recall20Drop != null) {
    const ok = con.recall20Drop < targets.maxDropRatio * base.recall20Drop;
    lines.push(
      `${ok ? 'Met' : 'Missed'}: at ${label} ${targets.contrastiveVariant} lost ${(con.recall20Drop * 100).toFixed(1)} % of its ` +
        `Recall@20, ${targets.baselineVariant} lost ${(base.recall20Drop * 100).toFixed(1)} % ` +
        `(target: less than ${targets.maxDropRatio * 100} % of the baseline's loss).`,
    );
  } else {
    lines.push(`Cannot compare drops: ${targets.contrastiveVariant} or ${targets.baselineVariant} lacks a clean or a ${label} cell.`);
  }
  if (con && highest) {
    const r = con.metrics['recall@20'].mean;
    const ok = r >= targets.minRecallAtHighestNoise;
    lines.push(
      `${ok ? 'Met' : 'Missed'}: at ${label} ${targets.contrastiveVariant} reaches Recall@20 ${r.toFixed(4)} ` +
        `(target: at least ${targets.minRecallAtHighestNoise}).`,
    );
  }
  return lines;
}
