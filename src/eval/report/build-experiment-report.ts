import type { ExperimentResults } from '../experiment-results.js';
import { judgeRobustness, type RobustnessTargets } from './judge-robustness.js';
import { alignmentUniformityPlot, headTailPlot, recallVsNoisePlot, trainingCurvePlots } from './plot-specs.js';
import { renderReportHtml } from './render-report-html.js';
import { renderResultsMarkdown } from './render-results-markdown.js';
import { summarizeRuns } from './summarize-runs.js';

/** The two human-readable outputs of an experiment. */
export interface ExperimentReport {
  readonly markdown: string;
  readonly html: string;
}

/** The targets of the robustness issue: contrastive loses < ½ of BCE's drop and keeps ≥ 0.179 (clean LightGCN) at the top noise. */
export const DEFAULT_ROBUSTNESS_TARGETS: RobustnessTargets = {
  contrastiveVariant: 'infonce+ssl',
  baselineVariant: 'bce',
  maxDropRatio: 0.5,
  minRecallAtHighestNoise: 0.179,
};

/**
 * Turns `results.json` content into `results.md` and a self-contained `report.html` with the
 * recall-vs-noise, training-curve, alignment/uniformity and head/tail plots.
 */
export function buildExperimentReport(results: ExperimentResults, targets = DEFAULT_ROBUSTNESS_TARGETS): ExperimentReport {
  const cells = summarizeRuns(results.runs);
  const f = (m: { mean: number; std: number }) => `${m.mean.toFixed(4)} ± ${m.std.toFixed(4)}`;
  const table = [
    ['variant', 'noise', 'runs', 'Recall@20', 'NDCG@20', 'drop from clean', 'head R@20', 'tail R@20'],
    ...cells.map((c) => [
      c.variant,
      `${Math.round(c.noise * 100)} %`,
      String(c.metrics['recall@20'].n),
      f(c.metrics['recall@20']),
      f(c.metrics['ndcg@20']),
      c.recall20Drop === null ? '–' : `${(c.recall20Drop * 100).toFixed(1)} %`,
      f(c.metrics['headRecall@20']),
      f(c.metrics['tailRecall@20']),
    ]),
  ];
  const html = renderReportHtml({
    title: 'contrarec: what the contrastive loss buys on noisy logs',
    subtitle: `${results.dataset} · ${results.runs.length} runs · ${results.createdAt} · ${results.command}`,
    verdict: judgeRobustness(cells, targets),
    table,
    plots: [recallVsNoisePlot(cells), ...trainingCurvePlots(results.runs), alignmentUniformityPlot(results.runs), headTailPlot(cells)],
  });
  return { markdown: renderResultsMarkdown(cells, targets), html };
}
