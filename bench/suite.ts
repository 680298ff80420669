/**
 * `npm run bench:suite`: the whole suite of ../shared/benchmarks through the CLI, as a new user
 * would run it. For each log (ml-100k, ml-100k with day-rounded times, steam, book-crossing,
 * anime), in a temporary folder:
 *   1. `contrarec ingest` the raw feature files (with the flags of suite-datasets.ts), then the
 *      split's train.tsv and valid.tsv;
 *   2. `contrarec train` with the defaults, then `contrarec eval --test test.tsv`;
 *   3. `contrarec train --tune --budget B --activate`, then the same eval (unless --no-tune).
 * Prints one table per log beside the reference rows of ../shared/benchmarks/REFERENCES.md, with
 * training time and peak RSS, and writes the rows to bench/results/suite-<date>.json.
 *
 *   npm run build && node dist/bench/suite.js [--only steam,anime] [--budget 20m] [--no-tune] [--epochs N]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { reportBenchTable, type BenchCell } from './bench-results.js';
import { SHARED_DIR, SUITE, SUITE_COLUMNS, type SuiteDataset } from './suite-datasets.js';

const { values } = parseArgs({
  options: { only: { type: 'string' }, budget: { type: 'string', default: '20m' }, 'no-tune': { type: 'boolean' }, epochs: { type: 'string' } },
});
const BENCH = path.join(SHARED_DIR, 'benchmarks');
if (!existsSync(BENCH)) {
  console.log(`bench:suite skipped: ${BENCH} is absent (the suite's logs are not redistributable)`);
  process.exit(0);
}

interface Usage {
  readonly seconds: number;
  readonly peakRssMiB: number;
  readonly stdout: string;
}

/** Runs one CLI command in its own process; throws with its stderr when it fails. */
function cli(db: string, args: readonly string[]): Usage {
  const usageFile = `${db}.usage.json`;
  const started = performance.now();
  const r = spawnSync(process.execPath, [path.join(import.meta.dirname, 'cli-with-usage.js'), usageFile, ...args, '--db', db], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`contrarec ${args.join(' ')} exited ${r.status}:\n${r.stderr.slice(-4000)}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRSS: number };
  process.stderr.write(
    r.stderr
      .split('\n')
      .filter((l) => /^(history|towers|tune|model|WARNING|snapshot)/.test(l))
      .map((l) => `    ${l}\n`)
      .join(''),
  );
  return { seconds, peakRssMiB: usage.maxRSS / 1024, stdout: r.stdout };
}

/** The split's file, or a copy in `dir` with its timestamps rounded down (coarse time). */
function splitFile(d: SuiteDataset, file: string, dir: string): string {
  const from = path.join(BENCH, d.split, file);
  if (d.roundTimeTo === undefined) return from;
  const step = d.roundTimeTo;
  const [header, ...rows] = readFileSync(from, 'utf8').trim().split('\n');
  const t = header.split('\t').indexOf('timestamp');
  const rounded = rows.map((line) =>
    line
      .split('\t')
      .map((cell, c) => (c === t ? String(Math.floor(Number(cell) / step) * step) : cell))
      .join('\t'),
  );
  const to = path.join(dir, file);
  writeFileSync(to, `${[header, ...rounded].join('\n')}\n`);
  return to;
}

interface Row {
  readonly dataset: string;
  readonly model: string;
  readonly validRecall20: number | null;
  readonly mostPopValidRecall20: number | null;
  readonly testRecall20: number;
  readonly testNdcg20: number;
  readonly trainSeconds: number;
  readonly peakRssMiB: number;
}

const ModelJson = (stdout: string) =>
  JSON.parse(stdout) as { version: string; metrics: { 'recall@20': number | null; mostPop?: { 'recall@20': number } | null } };

function evaluate(d: SuiteDataset, db: string, version: string, dir: string): { recall: number; ndcg: number } {
  const r = JSON.parse(cli(db, ['eval', '--model', version, '--test', splitFile(d, 'test.tsv', dir), '--k', '20', '--json']).stdout) as {
    atK: { recall: number; ndcg: number }[];
  };
  return r.atK[0];
}

function runDataset(d: SuiteDataset): Row[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-suite-'));
  const db = path.join(dir, 'suite.db');
  const rows: Row[] = [];
  try {
    process.stderr.write(`${d.name}: ingest\n`);
    for (const e of d.entities) cli(db, ['ingest', e.kind, e.file, ...e.flags]);
    cli(db, ['ingest', 'interactions', splitFile(d, 'train.tsv', dir), splitFile(d, 'valid.tsv', dir)]);
    const epochs = values.epochs === undefined ? [] : ['--epochs', values.epochs];
    const variants: [string, string[]][] = [['contrarec defaults', [...epochs]]];
    if (values['no-tune'] !== true) variants.push([`contrarec --tune ${values.budget}`, ['--tune', '--budget', values.budget!, '--activate', ...epochs]]);
    for (const [label, flags] of variants) {
      process.stderr.write(`${d.name}: train ${flags.join(' ')}\n`);
      const trained = cli(db, ['train', '--json', ...flags]);
      const record = ModelJson(trained.stdout);
      const test = evaluate(d, db, record.version, dir);
      rows.push({
        dataset: d.name,
        model: label,
        validRecall20: record.metrics['recall@20'],
        mostPopValidRecall20: record.metrics.mostPop?.['recall@20'] ?? null,
        testRecall20: test.recall,
        testNdcg20: test.ndcg,
        trainSeconds: trained.seconds,
        peakRssMiB: trained.peakRssMiB,
      });
      process.stderr.write(`${d.name}: ${label}: test recall@20 ${test.recall.toFixed(4)}\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** The reference rows (model, valid R@20, test R@20, test NDCG@20) of a split's REFERENCES.md section. */
function references(split: string): string[][] {
  const text = readFileSync(path.join(BENCH, 'REFERENCES.md'), 'utf8');
  const section = text.split(/^## /m).find((s) => s.startsWith(`${split} `));
  if (section === undefined) return [];
  return section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| model') && !l.startsWith('| ---'))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
}

/** A reference figure as a number where REFERENCES.md gives one. */
const figure = (c: string): BenchCell => (c === '' || c === '-' ? null : Number.isFinite(Number(c)) ? Number(c) : c);
const only = values.only?.split(',');
const datasets = SUITE.filter((d) => only === undefined || only.includes(d.name) || only.includes(d.split));
const all: Row[] = [];
for (const d of datasets) all.push(...runDataset(d));

const table: BenchCell[][] = [];
for (const d of datasets) {
  for (const r of all.filter((x) => x.dataset === d.name)) {
    table.push([d.name, r.model, r.validRecall20, r.mostPopValidRecall20, r.testRecall20, r.testNdcg20, Math.round(r.trainSeconds), Math.round(r.peakRssMiB)]);
  }
  for (const [model, valid, test, ndcg] of references(d.split))
    table.push([d.name, `ref: ${model}`, figure(valid), null, figure(test), figure(ndcg), null, null]);
}
reportBenchTable('suite', {
  title: `the suite through the CLI, test Recall@20 and NDCG@20 (tune budget ${values['no-tune'] === true ? 'none' : values.budget}); references from ../shared/benchmarks/REFERENCES.md`,
  columns: [...SUITE_COLUMNS],
  rows: table,
});
