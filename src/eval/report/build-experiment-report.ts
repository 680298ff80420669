import type { ExperimentResults } from '../experiment-results.js';
import { judgeRealNoise, judgeRobustness, type RobustnessTargets } from './judge-robustness.js';
import { alignmentUniformityPlot, headTailPlot, recallVsNoisePlot, trainingCurvePlots, type RecallSource } from './plot-specs.js';
import { renderReportHtml } from './render-report-html.js';
import { renderResultsMarkdown } from './render-results-markdown.js';
import { noiseLabel, summarizeRuns } from './summarize-runs.js';

/** The two human-readable outputs of an experiment. */
export interface ExperimentReport {
  readonly markdown: string;
  readonly html: string;
}

/**
 * The targets of the robustness issues: contrastive loses < ½ of BCE's drop at every noise level and
 * keeps ≥ 0.179 (clean LightGCN) at the top one; on the liked test rows it beats BCE by ≥ 10 % and
 * plain InfoNCE.
 */
export const DEFAULT_ROBUSTNESS_TARGETS: RobustnessTargets = {
  contrastiveVariant: 'infonce+ssl',
  baselineVariant: 'bce',
  maxDropRatio: 0.5,
  minRecallAtHighestNoise: 0.179,
  realNoiseMinGain: 0.1,
  realNoiseRivalVariant: 'infonce',
};

/**
 * Turns `results.json` content into `results.md` and a self-contained `report.html` with the
 * recall-vs-noise (per noise kind), training-curve, alignment/uniformity and head/tail plots; with
 * liked-test figures (`testMinRating`), their columns and recall-vs-noise plot beside the others.
 */
export function buildExperimentReport(results: ExperimentResults, targets = DEFAULT_ROBUSTNESS_TARGETS): ExperimentReport {
  const cells = summarizeRuns(results.runs);
  const f = (m: { mean: number; std: number }) => `${m.mean.toFixed(4)} ± ${m.std.toFixed(4)}`;
  const hasLiked = cells.some((c) => c.liked !== null);
  const rated = `rated ≥ ${results.testMinRating ?? '?'}`;
  const table = [
    [
      'variant',
      'noise',
      'runs',
      'Recall@20',
      'NDCG@20',
      'drop from clean',
      'head R@20',
      'tail R@20',
      ...(hasLiked ? [`Recall@20 (${rated})`, `NDCG@20 (${rated})`] : []),
    ],
    ...cells.map((c) => [
      c.variant,
      noiseLabel(c.noiseKind, c.noise),
      String(c.metrics['recall@20'].n),
      f(c.metrics['recall@20']),
      f(c.metrics['ndcg@20']),
      c.recall20Drop === null ? '–' : `${(c.recall20Drop * 100).toFixed(1)} %`,
      f(c.metrics['headRecall@20']),
      f(c.metrics['tailRecall@20']),
      ...(hasLiked ? [c.liked ? f(c.liked['recall@20']) : '–', c.liked ? f(c.liked['ndcg@20']) : '–'] : []),
    ]),
  ];
  const likedPlot: RecallSource = {
    id: 'plot-recall-vs-noise-liked',
    title: `Test Recall@20 on the test rows ${rated} (real noise: trained on every rating, disliked ones included)`,
    yTitle: `Recall@20 (test, ${rated})`,
    pick: (c) => c.liked?.['recall@20'] ?? null,
  };
  const html = renderReportHtml({
    title: 'contrarec: what the contrastive loss buys on noisy logs',
    subtitle: `${results.dataset} · ${results.runs.length} runs · ${results.createdAt} · ${results.command}`,
    verdict: [...judgeRobustness(cells, targets), ...judgeRealNoise(cells, targets)],
    table,
    plots: [
      recallVsNoisePlot(cells),
      ...(hasLiked ? [recallVsNoisePlot(cells, likedPlot)] : []),
      ...trainingCurvePlots(results.runs),
      alignmentUniformityPlot(results.runs),
      headTailPlot(cells),
    ],
  });
  return { markdown: renderResultsMarkdown(cells, targets, results.testMinRating), html };
}
