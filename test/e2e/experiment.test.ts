import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { experimentResultsSchema } from '../../src/eval/experiment-results.js';
import { chronologicalSplit, REPO, SYNTHETIC, syntheticRows, writeTsv } from '../eval/synthetic-split.js';

// Runs the built CLI (`npm run build` first; `npm test` does).
const CLI = path.join(REPO, 'dist/src/cli.js');
const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-experiment-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: REPO });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('contrarec experiment (CLI, synthetic fixture)', () => {
  const split = chronologicalSplit(syntheticRows());
  const data = path.join(dir, 'data');
  const entities = ['--users', path.join(SYNTHETIC, 'users.csv'), '--items', path.join(SYNTHETIC, 'items.csv')];

  it('trains 2 variants × (clean + 2 noise kinds at 0.1) × 1 seed and writes results.json, results.md and a report.html with every plot', () => {
    mkdirSync(data, { recursive: true });
    writeTsv(data, 'train.tsv', split.train);
    writeTsv(data, 'valid.tsv', split.valid);
    // Every third test row disliked, for the real-noise protocol.
    writeTsv(
      data,
      'test.tsv',
      split.test.map((row, k) => ({ ...row, rating: k % 3 === 0 ? 2 : 5 })),
    );
    const out = path.join(dir, 'out');
    const grid = [
      ...['experiment', '--dataset', data, ...entities, '--variants', 'bce,infonce', '--noise', '0,0.1', '--noise-kind', 'uniform,bots'],
      ...['--test-min-rating', '4', '--seeds', '1', '--epochs', '1'],
    ];
    const r = cli([...grid, '--parallel', '2', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${out}/results.json\n${out}/results.md\n${out}/report.html\n`);
    expect(r.stderr).toContain('run 1/6: bce noise 0 (clean) seed 1 — ETA --:--\n');
    expect(r.stderr).toMatch(/run 4\/6: infonce noise 0\.1 uniform \(injected\) seed 1 — ETA \d+:\d\d\n/);
    expect(r.stderr).toMatch(/run 6\/6: infonce noise 0\.1 bots \(injected\) seed 1 — ETA \d+:\d\d\n/);

    const results = experimentResultsSchema.parse(JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')));
    expect(results.testMinRating).toBe(4);
    expect(results.runs.map((x) => [x.variant, x.noise, x.noiseKind, x.seed, x.epochs.length, x.bestEpoch])).toEqual([
      ['bce', 0, undefined, 1, 1, 1],
      ['infonce', 0, undefined, 1, 1, 1],
      ['bce', 0.1, 'uniform', 1, 1, 1],
      ['infonce', 0.1, 'uniform', 1, 1, 1],
      ['bce', 0.1, 'bots', 1, 1, 1],
      ['infonce', 0.1, 'bots', 1, 1, 1],
    ]);
    for (const run of results.runs) {
      // One epoch on planted topics beats random ranking (20 of 200 items ≈ 0.1 Recall@20).
      expect(run.metrics['recall@20']).toBeGreaterThan(0.15);
      expect(run.metrics['recall@20']).toBeGreaterThanOrEqual(run.metrics['recall@10']);
      expect(run.metrics['coverage@20']).toBeGreaterThan(0);
      expect(run.metrics['coverage@20']).toBeLessThanOrEqual(1);
      // The liked-only truth: the same model scored against other truth.
      expect(run.likedMetrics).toBeDefined();
      expect(run.likedMetrics!['recall@20']).not.toBe(run.metrics['recall@20']);
    }
    // Neither variant has an SSL term: the loss record holds the main loss only (total = main).
    expect(results.runs.map((x) => Object.keys(x.epochs[0].loss))).toEqual(Array(6).fill(['main']));

    const md = readFileSync(path.join(out, 'results.md'), 'utf8');
    expect(md).toContain('| variant | noise 0 % | uniform 10 % | bots 10 % |');
    expect(md).toMatch(/\| bce \| 0\.\d{4} ± 0\.0000 \| 0\.\d{4} ± 0\.0000 \| 0\.\d{4} ± 0\.0000 \|/);
    expect(md).toContain('### Real noise: test rows rated ≥ 4');
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    const plots = [
      'plot-recall-vs-noise',
      'plot-recall-vs-noise-liked',
      'plot-training-loss',
      'plot-validation-recall',
      'plot-alignment-uniformity',
      'plot-head-tail',
    ];
    for (const id of plots) {
      expect(html).toContain(`id="${id}"`);
      expect(html).toContain(`Plotly.newPlot("${id}"`);
    }
    expect(html).not.toMatch(/<script[^>]+src=/); // self-contained: Plotly is inlined

    // The same grid one run at a time, in this process: the same figures, run for run.
    const one = path.join(dir, 'one');
    expect(cli([...grid, '--parallel', '1', '--out', one]).code).toBe(0);
    const sequential = experimentResultsSchema.parse(JSON.parse(readFileSync(path.join(one, 'results.json'), 'utf8')));
    expect(sequential.runs.map((x) => [x.metrics, x.likedMetrics])).toEqual(results.runs.map((x) => [x.metrics, x.likedMetrics]));
    // Different variants, noise kinds and levels give different models (runs are not answered twice).
    expect(new Set(results.runs.map((x) => x.metrics['ndcg@20'])).size).toBe(6);
  }, 180_000);

  it('--report-only rewrites results.md and report.html from results.json, training nothing', () => {
    const out = path.join(dir, 'out'); // the grid's folder, from the test above
    const md = readFileSync(path.join(out, 'results.md'), 'utf8');
    rmSync(path.join(out, 'results.md'));
    rmSync(path.join(out, 'report.html'));
    const r = cli(['experiment', '--report-only', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${out}/results.md\n${out}/report.html\n`);
    expect(r.stderr).toBe(`experiment: rewrote the report of 6 runs from ${out}/results.json\n`);
    expect(readFileSync(path.join(out, 'results.md'), 'utf8')).toBe(md);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('Plotly.newPlot("plot-recall-vs-noise-liked"');

    const none = path.join(dir, 'no-results');
    mkdirSync(none, { recursive: true });
    expect(cli(['experiment', '--report-only', '--out', none])).toEqual({
      code: 2,
      stdout: '',
      stderr: `contrarec: ${none}/results.json: not found (--report-only reads the results.json an experiment wrote)\n`,
    });
    writeFileSync(path.join(none, 'results.json'), '{"createdAt": "2026-12-03", "runs": []}\n');
    expect(cli(['experiment', '--report-only', '--out', none])).toEqual({
      code: 2,
      stdout: '',
      stderr: `contrarec: ${none}/results.json: field "dataset": Invalid input: expected string, received undefined\n`,
    });
    expect(cli(['experiment', '--out', none])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'contrarec: experiment: --dataset <dir> is required (or --report-only to rewrite a report from --out)\n',
    });
  });

  it('exits 2 with one line for an unknown variant or noise kind, or an incomplete dataset folder', () => {
    expect(cli(['experiment', '--dataset', data, '--variants', 'bce,magic', '--out', path.join(dir, 'x')])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "contrarec: --variants: unknown variant 'magic' (known: bce, infonce, infonce+ssl, infonce-nologq, infonce-noglobal, infonce+rince, infonce+tce, infonce+edge-ssl, infonce+agree, infonce+ssl+rince, infonce+ssl+tce, infonce+ssl+agree, infonce+ssl+rince-rel, infonce+ssl+rce, infonce+ssl-tau0.15, infonce+ssl+adap-tau, infonce+ssl+insert)\n",
    });
    expect(cli(['experiment', '--dataset', data, '--noise-kind', 'uniform,spam', '--out', path.join(dir, 'x')])).toEqual({
      code: 2,
      stdout: '',
      stderr: "contrarec: --noise-kind: expected one or more of uniform, popularity, bots separated by commas, got 'uniform,spam'\n",
    });
    expect(cli(['experiment', '--dataset', data, '--noise-kind', 'bots', '--noise-mode', 'bots', '--out', path.join(dir, 'x')])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'contrarec: --noise-mode is the old name of --noise-kind: give only --noise-kind\n',
    });
    const empty = path.join(dir, 'empty');
    expect(cli(['experiment', '--dataset', empty, '--out', path.join(dir, 'y')])).toEqual({
      code: 2,
      stdout: '',
      stderr: `contrarec: --dataset ${empty}: missing train.tsv, valid.tsv, test.tsv (expected train.tsv, valid.tsv and test.tsv)\n`,
    });
  });
});
