import { describe, expect, it } from 'vitest';
import type { NoiseMode } from '../../src/data/noise.js';
import type { RunRecord } from '../../src/eval/experiment-results.js';
import { experimentResultsSchema } from '../../src/eval/experiment-results.js';
import { buildExperimentReport } from '../../src/eval/report/build-experiment-report.js';
import { buildTrainingReport } from '../../src/eval/report/build-training-report.js';
import { meanStd, summarizeRuns } from '../../src/eval/report/summarize-runs.js';

function run(variant: string, noise: number, seed: number, recall20: number): RunRecord {
  return {
    variant,
    noise,
    seed,
    bestEpoch: 1,
    trainSeconds: 1,
    metrics: {
      'recall@10': recall20 / 2,
      'recall@20': recall20,
      'ndcg@10': 0.1,
      'ndcg@20': 0.1,
      'headRecall@20': 0.3,
      'tailRecall@20': 0.05,
      'coverage@20': 0.4,
      alignment: 0.8,
      uniformity: -3,
    },
    epochs: [
      { epoch: 0, seconds: 1, loss: { main: 6, total: 6 }, 'recall@20': 0.1, 'ndcg@20': 0.05, alignment: 1, uniformity: -2 },
      { epoch: 1, seconds: 1, loss: { main: 5, total: 5 }, 'recall@20': 0.12, 'ndcg@20': 0.06, alignment: 0.9, uniformity: -2.5 },
    ],
  };
}

describe('summarizeRuns', () => {
  it('averages over seeds with the sample standard deviation', () => {
    // values 0.2 and 0.1: mean 0.15, sample variance ((0.05)² + (0.05)²) / 1 = 0.005, std ≈ 0.070711
    const m = meanStd([0.2, 0.1]);
    expect(m.mean).toBeCloseTo(0.15, 12);
    expect(m.std).toBeCloseTo(Math.sqrt(0.005), 12);
    expect(meanStd([0.3]).std).toBe(0);
  });

  it('computes the relative drop from the same variant at noise 0', () => {
    const cells = summarizeRuns([run('bce', 0, 1, 0.2), run('bce', 0.2, 1, 0.15), run('infonce', 0, 1, 0.2), run('infonce', 0.2, 1, 0.19)]);
    // bce: (0.2 − 0.15) / 0.2 = 0.25; infonce: (0.2 − 0.19) / 0.2 = 0.05
    expect(cells.map((c) => [c.variant, c.noise, c.recall20Drop])).toEqual([
      ['bce', 0, 0],
      ['bce', 0.2, expect.closeTo(0.25, 12)],
      ['infonce', 0, 0],
      ['infonce', 0.2, expect.closeTo(0.05, 12)],
    ]);
  });
});

describe('buildExperimentReport', () => {
  const results = experimentResultsSchema.parse({
    createdAt: '2026-11-28T00:00:00Z',
    dataset: 'test',
    command: 'contrarec experiment',
    runs: [run('bce', 0, 1, 0.2), run('bce', 0.2, 1, 0.15), run('infonce+ssl', 0, 1, 0.2), run('infonce+ssl', 0.2, 1, 0.17)],
  });

  it('says plainly which targets were met and which were missed', () => {
    const { markdown } = buildExperimentReport(results);
    // infonce+ssl drop 15 % < ½ · 25 % fails (12.5 %), so the drop target is missed; 0.17 < 0.179 is missed too.
    expect(markdown).toContain('Missed: at +20 % noise infonce+ssl lost 15.0 % of its Recall@20, bce lost 25.0 %');
    expect(markdown).toContain('Missed: at +20 % noise infonce+ssl reaches Recall@20 0.1700 (target: at least 0.179).');
    expect(markdown).toContain('| bce | 0.2000 ± 0.0000 | 0.1500 ± 0.0000 |');
  });

  it('writes one self-contained HTML file with every plot', () => {
    const { html } = buildExperimentReport(results);
    for (const id of ['plot-recall-vs-noise', 'plot-training-loss', 'plot-validation-recall', 'plot-alignment-uniformity', 'plot-head-tail']) {
      expect(html).toContain(`id="${id}"`);
      expect(html).toContain(`Plotly.newPlot("${id}"`);
    }
    expect(html).not.toMatch(/<script[^>]+src=/); // nothing fetched from the network
    expect(html.length).toBeGreaterThan(1_000_000); // the Plotly bundle is inlined
  });
});

/** A run of one noise kind (none when clean) with Recall@20 `liked` on the test rows rated ≥ 4. */
function kinded(variant: string, noise: number, kind: NoiseMode | undefined, recall20: number, liked: number): RunRecord {
  const r = run(variant, noise, 1, recall20);
  return { ...r, ...(kind ? { noiseKind: kind } : {}), likedMetrics: { ...r.metrics, 'recall@20': liked } };
}

/** An experiment's results over `runs`, tested on the rows rated ≥ 4 too. */
function likedResults(runs: RunRecord[]) {
  return experimentResultsSchema.parse({ createdAt: '2026-11-28T00:00:00Z', dataset: 'test', command: 'contrarec experiment', testMinRating: 4, runs });
}

describe('buildExperimentReport with noise kinds and the real-noise protocol', () => {
  const results = likedResults([
    kinded('bce', 0, undefined, 0.2, 0.25),
    kinded('infonce+ssl', 0, undefined, 0.2, 0.3),
    kinded('bce', 0.1, 'uniform', 0.15, 0.2),
    kinded('infonce+ssl', 0.1, 'uniform', 0.19, 0.29),
    kinded('bce', 0.1, 'bots', 0.18, 0.22),
    kinded('infonce+ssl', 0.1, 'bots', 0.16, 0.27),
  ]);

  it('has a column per noise kind and level beside the clean one, and judges each kind', () => {
    const cells = summarizeRuns(results.runs);
    expect(cells.map((c) => [c.variant, c.noiseKind, c.noise])).toEqual([
      ['bce', null, 0],
      ['bce', 'uniform', 0.1],
      ['bce', 'bots', 0.1],
      ['infonce+ssl', null, 0],
      ['infonce+ssl', 'uniform', 0.1],
      ['infonce+ssl', 'bots', 0.1],
    ]);
    const { markdown } = buildExperimentReport(results);
    expect(markdown).toContain('| variant | noise 0 % | uniform 10 % | bots 10 % |');
    expect(markdown).toContain('| bce | 0.2000 ± 0.0000 | 0.1500 ± 0.0000 | 0.1800 ± 0.0000 |');
    // uniform: infonce+ssl lost (0.2 − 0.19)/0.2 = 5 %, bce 25 %: 5 < ½·25 → met.
    // bots: infonce+ssl lost 20 %, bce 10 %: missed.
    expect(markdown).toContain('Met: at +10 % uniform noise infonce+ssl lost 5.0 % of its Recall@20, bce lost 25.0 %');
    expect(markdown).toContain('Missed: at +10 % bots noise infonce+ssl lost 20.0 % of its Recall@20, bce lost 10.0 %');
  });

  it('reports the liked-test figures beside the injected-noise ones', () => {
    const { markdown, html } = buildExperimentReport(results);
    expect(markdown).toContain('### Real noise: test rows rated ≥ 4');
    expect(markdown).toContain('**Recall@20, test rows rated ≥ 4**');
    expect(markdown).toContain('| infonce+ssl | 0.3000 ± 0.0000 | 0.2900 ± 0.0000 | 0.2700 ± 0.0000 |');
    expect(html).toContain('<th>Recall@20 (rated ≥ 4)</th>');
    expect(html).toContain('<td>bots 10 %</td>');
    expect(html).toContain('Plotly.newPlot("plot-recall-vs-noise-liked"');
    // Without liked figures there is no such section or plot.
    const plain = buildExperimentReport({ ...results, testMinRating: undefined, runs: results.runs.map(({ likedMetrics: _, ...r }) => r) });
    expect(plain.markdown).not.toContain('Real noise');
    expect(plain.html).not.toContain('plot-recall-vs-noise-liked');
  });
});

describe('the verdict at every noise level and on the real-noise protocol', () => {
  const liked = (variant: string, noise: number, recall20: number, likedRecall20: number): RunRecord =>
    kinded(variant, noise, noise > 0 ? 'popularity' : undefined, recall20, likedRecall20);
  const results = likedResults([
    liked('bce', 0, 0.2, 0.25),
    liked('infonce', 0, 0.2, 0.31),
    liked('infonce+ssl', 0, 0.2, 0.3),
    liked('bce', 0.1, 0.18, 0.2),
    liked('infonce+ssl', 0.1, 0.19, 0.29),
    liked('bce', 0.2, 0.1, 0.2),
    liked('infonce+ssl', 0.2, 0.18, 0.29),
  ]);

  it('judges the drop at each level of a kind, and the floor at its highest level only', () => {
    const { markdown } = buildExperimentReport(results);
    // +10 %: infonce+ssl lost (0.2 − 0.19)/0.2 = 5 %, bce (0.2 − 0.18)/0.2 = 10 %: 5 is not below ½·10 → missed.
    expect(markdown).toContain('Missed: at +10 % popularity noise infonce+ssl lost 5.0 % of its Recall@20, bce lost 10.0 %');
    // +20 %: 10 % against 50 %: met.
    expect(markdown).toContain('Met: at +20 % popularity noise infonce+ssl lost 10.0 % of its Recall@20, bce lost 50.0 %');
    expect(markdown).toContain('Met: at +20 % popularity noise infonce+ssl reaches Recall@20 0.1800 (target: at least 0.179).');
    expect(markdown).not.toContain('at +10 % popularity noise infonce+ssl reaches');
  });

  it('judges the clean runs on the liked rows against bce (+10 %) and plain infonce', () => {
    const { markdown, html } = buildExperimentReport(results);
    // (0.30 − 0.25) / 0.25 = +20 % ≥ +10 %: met; 0.30 < infonce's 0.31: missed.
    const gain = 'Met: on the liked test rows infonce+ssl reaches Recall@20 0.3000, bce 0.2500: +20.0 % (target: at least +10 %).';
    const rival = 'Missed: on the liked test rows infonce+ssl reaches Recall@20 0.3000, infonce 0.3100 (target: above infonce).';
    expect(markdown).toContain('**Verdict (real noise, the clean runs)**');
    expect(markdown).toContain(`- ${gain}`);
    expect(markdown).toContain(`- ${rival}`);
    expect(html).toContain('infonce 0.3100 (target: above infonce)');
    // Without liked figures there is no real-noise verdict.
    const plain = buildExperimentReport({ ...results, testMinRating: undefined, runs: results.runs.map(({ likedMetrics: _, ...r }) => r) });
    expect(plain.markdown).not.toContain('on the liked test rows');
  });
});

describe('buildTrainingReport (contrarec train --report)', () => {
  it("has the run's figures, its curves, alignment/uniformity and head/tail, and no noise plot", () => {
    const html = buildTrainingReport(run('train', 0, 0, 0.25), 'v7');
    expect(html).toContain('contrarec: training run v7');
    expect(html).toContain('best epoch 1 of 2');
    expect(html).toContain('<td>0.2500</td>'); // Recall@20
    for (const id of ['plot-training-loss', 'plot-validation-recall', 'plot-alignment-uniformity', 'plot-head-tail']) {
      expect(html).toContain(`Plotly.newPlot("${id}"`);
    }
    expect(html).not.toContain('plot-recall-vs-noise');
  });
});

describe('experimentResultsSchema', () => {
  it('reads a results.json an earlier version wrote (recall20, validRecall20 keys) under recall@20-style keys', () => {
    const old = {
      createdAt: '2026-11-28T00:00:00Z',
      dataset: 'test',
      command: 'contrarec experiment',
      runs: [
        {
          variant: 'bce',
          noise: 0,
          seed: 1,
          bestEpoch: 1,
          trainSeconds: 2,
          metrics: {
            recall10: 0.1,
            recall20: 0.2,
            ndcg10: 0.05,
            ndcg20: 0.08,
            headRecall20: 0.3,
            tailRecall20: 0.05,
            coverage20: 0.4,
            alignment: 0.8,
            uniformity: -3,
          },
          epochs: [{ epoch: 1, seconds: 1, loss: { main: 6 }, validRecall20: 0.12, validNdcg20: 0.06, alignment: 0.9, uniformity: -2.5 }],
        },
      ],
    };
    const read = experimentResultsSchema.parse(old);
    expect(read.runs[0].metrics).toEqual({
      'recall@10': 0.1,
      'recall@20': 0.2,
      'ndcg@10': 0.05,
      'ndcg@20': 0.08,
      'headRecall@20': 0.3,
      'tailRecall@20': 0.05,
      'coverage@20': 0.4,
      alignment: 0.8,
      uniformity: -3,
    });
    expect(read.runs[0].epochs[0]).toEqual({ epoch: 1, seconds: 1, loss: { main: 6 }, 'recall@20': 0.12, 'ndcg@20': 0.06, alignment: 0.9, uniformity: -2.5 });
  });
});
