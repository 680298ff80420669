import type { CellSummary, MeanStd } from './summarize-runs.js';
import { noiseColumns, noiseLabel } from './summarize-runs.js';
import { judgeRealNoise, judgeRobustness, type RobustnessTargets } from './judge-robustness.js';

function fmt(m: MeanStd): string {
  return `${m.mean.toFixed(4)} ± ${m.std.toFixed(4)}`;
}

function pct(x: number | null): string {
  return x === null ? '–' : `${(x * 100).toFixed(1)} %`;
}

/**
 * Renders `results.md`: one table per metric (Recall@20, NDCG@20) with a row per variant and a
 * column per noise level of each noise kind (mean ± standard deviation over seeds, n runs), a
 * table of the relative Recall@20 drop from noise 0, the plain verdict against the robustness
 * targets, and, when the runs were also tested on the liked test rows (`testMinRating`), the
 * same two tables for that real-noise protocol with its own verdict.
 */
export function renderResultsMarkdown(cells: readonly CellSummary[], targets: RobustnessTargets, testMinRating?: number): string {
  const variants = [...new Set(cells.map((c) => c.variant))];
  const columns = noiseColumns(cells);
  const cell = (v: string, col: (typeof columns)[number]) => cells.find((c) => c.variant === v && c.noise === col.noise && c.noiseKind === col.noiseKind);
  const header = `| variant | ${columns.map((c) => noiseLabel(c.noiseKind, c.noise)).join(' | ')} |`;
  const rule = `| --- | ${columns.map(() => '---').join(' | ')} |`;
  const table = (title: string, value: (c: CellSummary) => string) => [
    `**${title}**`,
    '',
    header,
    rule,
    ...variants.map(
      (v) =>
        `| ${v} | ${columns
          .map((col) => {
            const c = cell(v, col);
            return c ? value(c) : '–';
          })
          .join(' | ')} |`,
    ),
    '',
  ];
  const runs = cells.reduce((a, c) => a + c.metrics['recall@20'].n, 0);
  const liked = cells.some((c) => c.liked !== null) ? likedSection(table, testMinRating, judgeRealNoise(cells, targets)) : [];
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
    ...liked,
  ];
  return lines.join('\n');
}

/** The real-noise protocol's tables: the same models, truth = the test rows rated ≥ R. */
function likedSection(
  table: (title: string, value: (c: CellSummary) => string) => string[],
  testMinRating: number | undefined,
  verdict: readonly string[],
): string[] {
  const r = testMinRating === undefined ? 'the minimum rating' : `≥ ${testMinRating}`;
  const at = (c: CellSummary, key: 'recall@20' | 'ndcg@20') => (c.liked ? fmt(c.liked[key]) : '–');
  return [
    `### Real noise: test rows rated ${r}`,
    '',
    'The protocol of Wang et al. 2021 ("Denoising Implicit Feedback for Recommendation"): the same models, trained on every ' +
      'interaction of the log, disliked ones included, scored with only the test rows rated ' +
      `${r} as the truth; users with none are not evaluated, and the lower-rated test items stay in the ranking.`,
    '',
    ...table(`Recall@20, test rows rated ${r}`, (c) => at(c, 'recall@20')),
    ...table(`NDCG@20, test rows rated ${r}`, (c) => at(c, 'ndcg@20')),
    ...(verdict.length > 0 ? ['**Verdict (real noise, the clean runs)**', '', ...verdict.map((line) => `- ${line}`), ''] : []),
  ];
}
