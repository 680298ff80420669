import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cellOf, markdownTable, README_PATH, readBenchResults, type BenchResult } from '../../bench/bench-results.js';
import { README_MARKERS, renderBenchmarkTable, withBenchmarkTable } from '../../bench/readme-benchmarks.js';

const result = (bench: string, measuredAt: string, rows: BenchResult['rows']): BenchResult => ({
  bench,
  measuredAt,
  args: [],
  machine: { cpus: 2, loadAverage: 1.5, node: 'v20' },
  title: 't',
  columns: ['split', 'trained on', 'epochs', 'Recall@20', 'NDCG@20', 'Recall@10', 'NDCG@10'],
  rows,
  notes: [],
});

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('benchmark results', () => {
  it('prints a padded markdown table with - for missing cells', () => {
    expect(
      markdownTable(
        ['a', 'bb'],
        [
          [1, null],
          ['xyz', 0.5],
        ],
      ),
    ).toBe('| a   | bb  |\n| --- | --- |\n| 1   | -   |\n| xyz | 0.5 |');
  });

  it('finds a cell by the first cells of its row and a column name', () => {
    const r = result('quality', '2026-01-01T00:00:00Z', [
      ['valid', 'train', 4, 0.28, 0.2, null, null],
      ['test', 'train+valid', 4, 0.24, 0.17, 0.14, 0.15],
    ]);
    expect(cellOf(r, ['test'], 'Recall@20')).toBe(0.24);
    expect(cellOf(r, ['valid'], 'Recall@10')).toBeNull();
    expect(cellOf(r, ['test'], 'no such column')).toBeNull();
  });

  it('reads the newest result first, renders it with its verdict, and names a malformed file', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'contrarec-bench-results-'));
    const write = (r: BenchResult, file: string): void => writeFileSync(path.join(dir!, file), JSON.stringify(r));
    write(result('quality', '2026-01-01T00:00:00Z', [['test', 'train+valid', 5, 0.15, 0.1, 0.1, 0.1]]), 'quality-2026-01-01T000000.json');
    write(result('quality', '2026-02-01T00:00:00Z', [['test', 'train+valid', 5, 0.2372, 0.1754, 0.1405, 0.1458]]), 'quality-2026-02-01T000000.json');
    expect(readBenchResults('quality', dir).map((r) => r.measuredAt)).toEqual(['2026-02-01T00:00:00Z', '2026-01-01T00:00:00Z']);
    const quality = renderBenchmarkTable(dir)
      .split('\n')
      .find((l) => l.startsWith('| quality'));
    expect(quality).toContain('test **Recall@20 0.2372**');
    expect(quality).toContain('test Recall@20 ≥ 0.19: met');
    expect(renderBenchmarkTable(dir)).toContain('| full-ranking evaluation | `npm run bench:eval` | not measured yet |');
    writeFileSync(path.join(dir, 'quality-2026-03-01T000000.json'), '{"bench":"quality"}');
    expect(() => readBenchResults('quality', dir)).toThrow(/quality-2026-03-01T000000\.json: not a benchmark result/);
  });

  it('shows the newest bench:scale row of every size, older files without the refit column included', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'contrarec-bench-results-'));
    const scale = (measuredAt: string, columns: string[], rows: BenchResult['rows']): BenchResult => ({ ...result('scale', measuredAt, rows), columns });
    const old = [
      'interactions',
      'items',
      'snapshot s',
      'epoch s',
      'gate s',
      'index+promote s',
      'retrain s',
      'retrain peak RSS MiB',
      'server peak RSS MiB',
      'errors',
      'p99 ms',
    ];
    const now = [...old.slice(0, 4), 'refit s', ...old.slice(4)];
    const write = (r: BenchResult, file: string): void => writeFileSync(path.join(dir!, file), JSON.stringify(r));
    write(scale('2026-01-01T00:00:00Z', old, [[5_000_000, 500_000, 30, 300, 70, 150, 550, 2500, 1500, 0, 20]]), 'scale-2026-01-01T000000.json');
    write(scale('2026-01-02T00:00:00Z', now, [[20_000_000, 1_000_000, 60, 900, 1100, 160, 550, 2770, 6800, 3000, 0, 5]]), 'scale-2026-01-02T000000.json');
    write(scale('2026-01-03T00:00:00Z', now, [[2_000_000, 200_000, 5, 80, 96, 22, 50, 253, 1500, 900, 0, 6]]), 'scale-2026-01-03T000000.json');
    const row = renderBenchmarkTable(dir)
      .split('\n')
      .find((l) => l.startsWith('| nightly retrain at scale'));
    expect(row).toContain(
      '2,000,000 interactions / 200,000 items: retrain **253 s** (snapshot 5, epoch 80, refit 96, gate 22, index+promote 50), peak RSS trainer 1500 MiB / server 900 MiB, p99 6 ms, 0 errors; ' +
        '5,000,000 interactions / 500,000 items: retrain **550 s** (snapshot 30, epoch 300, gate 70, index+promote 150)',
    );
    expect(row).toContain('20,000,000 interactions / 1,000,000 items: retrain **2770 s**');
    expect(row).toContain('(issue #20): met');
  });

  it('shows the newest bench:noise-ceiling row of each training log, whichever noise kind measured it', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'contrarec-bench-results-'));
    const ceiling = (measuredAt: string, rows: BenchResult['rows']): BenchResult => ({
      ...result('noise-ceiling', measuredAt, rows),
      columns: ['training log', 'valid R@20 (mean)', 'drop from clean', 'per seed'],
    });
    const write = (r: BenchResult, file: string): void => writeFileSync(path.join(dir!, file), JSON.stringify(r));
    write(
      ceiling('2026-01-01T00:00:00Z', [
        ['clean log', 0.29, '0.0 %', '0.29'],
        ['10 % uniform: noisy log', 0.28, '3.4 %', '0.28'],
      ]),
      'noise-ceiling-2026-01-01T000000.json',
    );
    write(
      ceiling('2026-01-02T00:00:00Z', [
        ['clean log', 0.3, '0.0 %', '0.3'],
        ['10 % popularity: noisy log', 0.27, '10.0 %', '0.27'],
      ]),
      'noise-ceiling-2026-01-02T000000.json',
    );
    const row = renderBenchmarkTable(dir)
      .split('\n')
      .find((l) => l.startsWith('| where injected noise costs'));
    expect(row).toContain('| clean log 0.3000 (drop 0.0 %); 10 % popularity: noisy log 0.2700 (drop 10.0 %); 10 % uniform: noisy log 0.2800 (drop 3.4 %) |');
    expect(row).toContain('| none: it bounds what a robust loss can win | 2026-01-02 (1.5, 2 cores) |');
  });

  it('replaces only the text between the markers', () => {
    const readme = `# x\n${README_MARKERS.start}\nold\n${README_MARKERS.end}\ntail\n`;
    expect(withBenchmarkTable(readme, 'new')).toBe(`# x\n${README_MARKERS.start}\nnew\n${README_MARKERS.end}\ntail\n`);
    expect(() => withBenchmarkTable('# no markers', 'new')).toThrow(/lacks the markers/);
  });

  it("the README's benchmark table is the one generated from bench/results (run `npm run bench:readme`)", () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(readme).toBe(withBenchmarkTable(readme, renderBenchmarkTable()));
  });
});
