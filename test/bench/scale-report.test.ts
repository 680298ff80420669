import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBenchResults, SCALE_DOC_PATHS, type BenchResult } from '../../bench/bench-results.js';
import { renderScaleChart, renderScaleDoc, scalePoints } from '../../bench/scale-report.js';

const columns = [
  'interactions',
  'items',
  'snapshot s',
  'epoch s',
  'refit s',
  'gate s',
  'index+promote s',
  'retrain s',
  'retrain peak RSS MiB',
  'server peak RSS MiB',
  'p99 ms',
];
const result = (measuredAt: string, rows: number[][]): BenchResult => ({
  bench: 'scale',
  measuredAt,
  args: [],
  machine: { cpus: 2, loadAverage: 1.5, node: 'v20' },
  title: 'scale',
  columns,
  rows,
  notes: [],
});

describe('the scale page', () => {
  // Newest first, as readBenchResults gives them: the 2M row of the newer file wins over the older one's.
  const results = [
    result('2026-12-03T05:00:00Z', [[2_000_000, 200_000, 10, 100, 40, 20, 30, 200, 1000, 700, 20]]),
    result('2026-12-02T05:00:00Z', [
      [2_000_000, 200_000, 99, 999, 99, 99, 99, 9999, 9, 9, 99],
      // Measured before the refit stage existed: its column reads '-'.
      [5_000_000, 500_000, 25, 250, Number.NaN, 50, 75, 400, 2500, 1500, 30],
    ]),
  ];

  it('keeps the newest row of each log size, smallest first, and gives the retrain seconds per million interactions', () => {
    const points = scalePoints(results);
    expect(points.map((p) => [p.interactions, p.stages['retrain s'], p.measuredAt])).toEqual([
      [2_000_000, 200, '2026-12-03'],
      [5_000_000, 400, '2026-12-02'],
    ]);
    const page = renderScaleDoc(points);
    // 200 s / 2M = 100 s per million; 400 s / 5M = 80: falling reads as better than linear.
    expect(page).toContain('| 2,000,000    | 200,000 | 10         | 100     | 40      | 20     | 30              | 200       | 100              |');
    expect(page).toContain('| 5,000,000    | 500,000 | 25         | 250     | -       | 50     | 75              | 400       | 80               |');
  });

  it('charts every stage of every size as an SVG', async () => {
    const svg = await renderScaleChart(scalePoints(results));
    expect(svg.startsWith('<svg')).toBe(true);
    for (const label of ['snapshot s', 'index+promote s', 'interactions (millions)']) expect(svg).toContain(label);
  });

  it('docs/scale.md is the page generated from bench/results (run `npm run bench:readme`)', () => {
    expect(readFileSync(SCALE_DOC_PATHS.page, 'utf8')).toBe(renderScaleDoc(scalePoints(readBenchResults('scale'))));
  });
});
