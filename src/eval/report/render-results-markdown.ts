import type { CellSummary, MeanStd } from './summarize-runs.js';
import { judgeRobustness, type RobustnessTargets } from './judge-robustness.js';

function fmt(m: MeanStd): string {
  return `${m.mean.toFixed(4)} ± ${m.std.toFixed(4)}`;
}

function pct(x: number | null): string {
  return x === null ? '–' : `${(x * 100).toFixed(1)} %`;
}

/**
 * Renders `results.md`: one table per metric (Recall@20, NDCG@20) with a row per variant and a
 * column per noise level (mean ± standard deviation over seeds, n runs), a table of the relative
 * Recall@20 drop from noise 0, and the plain verdict against the robustness targets.
 */
export function renderResultsMarkdown(cells: readonly CellSummary[], targets: RobustnessTargets): string {
  const variants = [...new Set(cells.map((c) => c.variant))];
  const noises = [...new Set(cells.map((c) => c.noise))].sort((a, b) => a - b);
  const cell = (v: string, n: number) => cells.find((c) => c.variant === v && c.noise === n);
  const header = `| variant | ${noises.map((n) => `noise ${Math.round(n * 100)} %`).join(' | ')} |`;
  const rule = `| --- | ${noises.map(() => '---').join(' | ')} |`;
  const table = (title: string, value: (c: CellSummary) => string) => [
    `**${title}**`,
    '',
    header,
    rule,
    ...variants.map(
      (v) =>
        `| ${v} | ${noises
          .map((n) => {
            const c = cell(v, n);
            return c ? value(c) : '–';
          })
          .join(' | ')} |`,
    ),
    '',
  ];
  const runs = cells.reduce((a, c) => a + c.metrics['recall@20'].n, 0);
  const lines = [
    `Test split, mean ± standard deviation over seeds (${runs} runs in all).`,
    '',
    ...table('Recall@20', (c) => fmt(c.metrics['recall@20'])),
    ...table('NDCG@20', (c) => fmt(c.metrics['ndcg@20'])),
    ...table('Relative drop of Recall@20 from noise 0', (c) => pct(c.recall20Drop)),
    '**Verdict**',
    '',
    ...judgeRobustness(cells, targets).map((line) => `- ${line}`),
    '',
  ];
  return lines.join('\n');
}
