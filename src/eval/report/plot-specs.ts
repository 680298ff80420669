import type { RunRecord } from '../experiment-results.js';
import { noiseLabel, type CellSummary, type MeanStd } from './summarize-runs.js';

/** One Plotly figure: an element id, a heading, a short caption that says how to read it, traces and layout. */
export interface PlotSpec {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly data: readonly Record<string, unknown>[];
  readonly layout: Record<string, unknown>;
}

const axis = (title: string, extra: Record<string, unknown> = {}) => ({ title: { text: title }, zeroline: false, ...extra });

/** Which figures a recall-vs-noise plot draws: the whole test split's, or the liked test rows'. */
export interface RecallSource {
  readonly id: string;
  readonly title: string;
  readonly yTitle: string;
  readonly pick: (c: CellSummary) => MeanStd | null;
}

/** The whole test split's Recall@20. */
export const TEST_RECALL: RecallSource = {
  id: 'plot-recall-vs-noise',
  title: 'Test Recall@20 as noise is added to the training logs',
  yTitle: 'Recall@20 (test)',
  pick: (c) => c.metrics['recall@20'],
};

/**
 * Recall@20 against the noise ratio, one line per variant and noise kind (each starting from the
 * variant's clean cell), error bars = standard deviation over seeds.
 */
export function recallVsNoisePlot(cells: readonly CellSummary[], source: RecallSource = TEST_RECALL): PlotSpec {
  const variants = [...new Set(cells.map((c) => c.variant))];
  const noisyKinds = [...new Set(cells.filter((c) => c.noise > 0).map((c) => c.noiseKind))];
  const kinds = noisyKinds.length > 0 ? noisyKinds : [null];
  const named = kinds.some((k) => k !== null);
  return {
    id: source.id,
    title: source.title,
    caption: `Each line is a training variant${named ? ' under one kind of noise' : ''}; the error bars span ± one standard deviation over seeds. Flatter is more robust.`,
    data: variants.flatMap((v) =>
      kinds.map((kind) => {
        const row = cells.filter((c) => c.variant === v && (c.noise === 0 || c.noiseKind === kind) && source.pick(c) !== null);
        return {
          type: 'scatter',
          mode: 'lines+markers',
          name: kind === null ? v : `${v} · ${kind}`,
          x: row.map((c) => c.noise * 100),
          y: row.map((c) => source.pick(c)!.mean),
          error_y: { type: 'data', array: row.map((c) => source.pick(c)!.std), visible: true },
        };
      }),
    ),
    layout: { xaxis: axis('injected noise (% of training interactions)'), yaxis: axis(source.yTitle) },
  };
}

/** Per-epoch curves of the first run of each variant at the lowest noise: one plot for the total loss, one for validation Recall@20. */
export function trainingCurvePlots(runs: readonly RunRecord[]): PlotSpec[] {
  // Whole epochs only on the axis (Plotly would otherwise tick 1.5, 2.5 for short runs).
  const longest = Math.max(1, ...runs.map((r) => r.epochs.length));
  const epochAxis = axis('epoch', { tickmode: 'linear', tick0: 1, dtick: Math.ceil(longest / 12) });
  const lowest = Math.min(...runs.map((r) => r.noise));
  const shown = [...new Map(runs.filter((r) => r.noise === lowest).map((r) => [r.variant, r])).values()];
  const lossTraces = shown.flatMap((r) =>
    Object.keys(r.epochs[0]?.loss ?? {}).map((part) => ({
      type: 'scatter',
      mode: 'lines+markers',
      name: `${r.variant}: ${part}`,
      x: r.epochs.map((e) => e.epoch),
      y: r.epochs.map((e) => e.loss[part]),
    })),
  );
  return [
    {
      id: 'plot-training-loss',
      title: 'Training loss per epoch (each loss part)',
      caption: `First seed of each variant at noise ${Math.round(lowest * 100)} %. Losses of different variants are on different scales; compare shapes, not heights.`,
      data: lossTraces,
      layout: { xaxis: epochAxis, yaxis: axis('loss') },
    },
    {
      id: 'plot-validation-recall',
      title: 'Validation Recall@20 per epoch',
      caption: 'The dot marks the epoch kept (best validation recall; early stopping).',
      data: shown.flatMap((r) => [
        { type: 'scatter', mode: 'lines', name: r.variant, x: r.epochs.map((e) => e.epoch), y: r.epochs.map((e) => e['recall@20']) },
        {
          type: 'scatter',
          mode: 'markers',
          name: `${r.variant} (kept)`,
          showlegend: false,
          marker: { size: 11 },
          x: [r.bestEpoch],
          y: [r.epochs.find((e) => e.epoch === r.bestEpoch)?.['recall@20'] ?? null],
        },
      ]),
      layout: { xaxis: epochAxis, yaxis: axis('Recall@20 (validation)') },
    },
  ];
}

/** Alignment against uniformity (Wang & Isola 2020), one point per run; lower-left is better on both. */
export function alignmentUniformityPlot(runs: readonly RunRecord[]): PlotSpec {
  const variants = [...new Set(runs.map((r) => r.variant))];
  return {
    id: 'plot-alignment-uniformity',
    title: 'Alignment vs uniformity of the learned embeddings',
    caption:
      'Alignment: mean squared distance between a user and the items they interacted with (lower = positives closer). Uniformity: log of the mean Gaussian potential between random items (lower = more spread out on the sphere). A collapsed model sits at the top right. Each point is labelled with its noise level.',
    data: variants.map((v) => {
      const rs = runs.filter((r) => r.variant === v);
      return {
        type: 'scatter',
        mode: 'markers+text',
        name: v,
        marker: { size: 10 },
        textposition: 'top center',
        x: rs.map((r) => r.metrics.uniformity),
        y: rs.map((r) => r.metrics.alignment),
        text: rs.map((r) => noiseLabel(r.noiseKind ?? null, r.noise)),
        hovertext: rs.map((r) => `${v}: ${noiseLabel(r.noiseKind ?? null, r.noise)}, seed ${r.seed}`),
      };
    }),
    layout: { xaxis: axis('uniformity (lower is better)'), yaxis: axis('alignment (lower is better)') },
  };
}

/** Recall@20 on head items (most popular 20 %) and on the long tail, per variant, at each noise level. */
export function headTailPlot(cells: readonly CellSummary[]): PlotSpec {
  const labels = cells.map((c) => `${c.variant} @ ${noiseLabel(c.noiseKind, c.noise)}`);
  const bar = (name: string, pick: (c: CellSummary) => { mean: number; std: number }) => ({
    type: 'bar',
    name,
    x: labels,
    y: cells.map((c) => pick(c).mean),
    error_y: { type: 'data', array: cells.map((c) => pick(c).std), visible: true },
  });
  return {
    id: 'plot-head-tail',
    title: 'Recall@20 on popular (head) vs long-tail items',
    caption: 'Head = the 20 % most popular items in training; tail = the other 80 %. Each recall counts only test items of that group.',
    data: [bar('head', (c) => c.metrics['headRecall@20']), bar('tail', (c) => c.metrics['tailRecall@20'])],
    layout: { barmode: 'group', xaxis: axis('variant @ noise'), yaxis: axis('Recall@20 (test)') },
  };
}
