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
}

/**
 * Plain-language verdict lines: for each noise kind's highest level, whether the contrastive
 * variant lost less than `maxDropRatio` of what the baseline lost, and whether it still reaches
 * the recall floor. Says "met" or "missed" with the measured figures, never hides a miss.
 */
export function judgeRobustness(cells: readonly CellSummary[], targets: RobustnessTargets): string[] {
  const noisy = cells.filter((c) => c.noise > 0);
  if (noisy.length === 0) return ['No noisy runs: nothing to judge.'];
  return [...new Set(noisy.map((c) => c.noiseKind))].flatMap((kind) => {
    const top = Math.max(...noisy.filter((c) => c.noiseKind === kind).map((c) => c.noise));
    return judgeLevel(
      (v) => cells.find((c) => c.variant === v && c.noise === top && c.noiseKind === kind),
      `+${Math.round(top * 100)} % ${kind === null ? '' : `${kind} `}noise`,
      targets,
    );
  });
}

function judgeLevel(find: (variant: string) => CellSummary | undefined, label: string, targets: RobustnessTargets): string[] {
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
  if (con) {
    const r = con.metrics['recall@20'].mean;
    const ok = r >= targets.minRecallAtHighestNoise;
    lines.push(
      `${ok ? 'Met' : 'Missed'}: at ${label} ${targets.contrastiveVariant} reaches Recall@20 ${r.toFixed(4)} ` +
        `(target: at least ${targets.minRecallAtHighestNoise}).`,
    );
  }
  return lines;
}
