import type { RunRecord } from '../experiment-results.js';
import { alignmentUniformityPlot, headTailPlot, trainingCurvePlots } from './plot-specs.js';
import { renderReportHtml } from './render-report-html.js';
import { summarizeRuns } from './summarize-runs.js';

/**
 * The report of a single training run (`contrarec train --report FILE`): the model's hold-out
 * figures, its training curves (loss parts, validation Recall@20 with the kept epoch), where it
 * sits in alignment/uniformity, and its head vs tail recall — the experiment report's plots
 * that make sense for one run.
 */
export function buildTrainingReport(run: RunRecord, version: string): string {
  const m = run.metrics;
  const f = (x: number) => x.toFixed(4);
  return renderReportHtml({
    title: `contrarec: training run ${version}`,
    subtitle: `best epoch ${run.bestEpoch} of ${run.epochs.length} · ${run.trainSeconds.toFixed(0)} s of training · figures on the model's validation hold-out`,
    verdict: [],
    table: [
      ['Recall@10', 'Recall@20', 'NDCG@10', 'NDCG@20', 'head R@20', 'tail R@20', 'coverage@20', 'alignment', 'uniformity'],
      [
        f(m['recall@10']),
        f(m['recall@20']),
        f(m['ndcg@10']),
        f(m['ndcg@20']),
        f(m['headRecall@20']),
        f(m['tailRecall@20']),
        f(m['coverage@20']),
        f(m.alignment),
        f(m.uniformity),
      ],
    ],
    plots: [...trainingCurvePlots([run]), alignmentUniformityPlot([run]), headTailPlot(summarizeRuns([run]))],
  });
}
