/**
 * One home for what a benchmark measured: each `npm run bench:*` prints its table and writes the
 * same table as JSON to `bench/results/<name>-<time>.json`, which `npm run bench:readme` turns into
 * the README's benchmark table. Figures then live in result files, not in prose or comments.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** The checkout's root: the nearest folder above this module with a package.json (it runs from `dist/bench/` and, in tests, from `bench/`). */
function checkoutRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** Where the result files live: `bench/results/` of the checkout. */
export const BENCH_RESULTS_DIR = path.join(checkoutRoot(), 'bench', 'results');

/** The checkout's README, whose benchmark table `npm run bench:readme` writes. */
export const README_PATH = path.join(checkoutRoot(), 'README.md');

/** The scale page and its chart (`bench/scale-report.ts`), beside the other docs. */
export const SCALE_DOC_PATHS = { page: path.join(checkoutRoot(), 'docs', 'scale.md'), chart: path.join(checkoutRoot(), 'docs', 'scale.svg') } as const;

const cellSchema = z.union([z.string(), z.number(), z.null()]);

/** A benchmark's table as written to and read from `bench/results/`. */
export const benchResultSchema = z.object({
  bench: z.string(),
  measuredAt: z.string(),
  args: z.array(z.string()),
  machine: z.object({ cpus: z.number(), loadAverage: z.number(), node: z.string() }),
  title: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.array(cellSchema)),
  notes: z.array(z.string()).default([]),
});

/** One stored benchmark result. */
export type BenchResult = z.infer<typeof benchResultSchema>;

/** A table cell: numbers stay numbers in the JSON, so the README generator can judge targets. */
export type BenchCell = z.infer<typeof cellSchema>;

/** What a benchmark hands over: its title line, column names, rows, and free-text notes. */
export type BenchTable = {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly BenchCell[])[];
  readonly notes?: readonly string[];
};

const show = (c: BenchCell): string => (c === null ? '-' : String(c));

/** The table as GitHub markdown, columns padded so that it also reads in a terminal. */
export function markdownTable(columns: readonly string[], rows: readonly (readonly BenchCell[])[]): string {
  const text = [columns.map(String), ...rows.map((r) => r.map(show))];
  const widths = columns.map((_, c) => Math.max(3, ...text.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]): string => `| ${widths.map((w, c) => (r[c] ?? '').padEnd(w)).join(' | ')} |`;
  return [line(text[0]), line(widths.map((w) => '-'.repeat(w))), ...text.slice(1).map(line)].join('\n');
}

/**
 * Prints the table (title, markdown, notes) and writes it as JSON to
 * `bench/results/<name>-<time>.json` through a temporary file renamed into place; returns the path.
 */
export function reportBenchTable(name: string, table: BenchTable): string {
  console.log(table.title);
  console.log(markdownTable(table.columns, table.rows));
  for (const note of table.notes ?? []) console.log(note);
  const measuredAt = new Date().toISOString();
  const result: BenchResult = {
    bench: name,
    measuredAt,
    args: process.argv.slice(2),
    machine: { cpus: os.cpus().length, loadAverage: Number(os.loadavg()[0].toFixed(2)), node: process.version },
    title: table.title,
    columns: [...table.columns],
    rows: table.rows.map((r) => [...r]),
    notes: [...(table.notes ?? [])],
  };
  mkdirSync(BENCH_RESULTS_DIR, { recursive: true });
  const file = path.join(BENCH_RESULTS_DIR, `${name}-${measuredAt.slice(0, 19).replace(/:/g, '')}.json`);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  console.log(`(written to ${path.relative(process.cwd(), file)})`);
  return file;
}

/** Every stored result of benchmark `name` in `dir`, newest first; a file that fails the schema is an error naming it. */
export function readBenchResults(name: string, dir = BENCH_RESULTS_DIR): BenchResult[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.json') && /^\d{4}-/.test(f.slice(name.length + 1)));
  } catch {
    return [];
  }
  return files
    .map((f) => {
      const parsed = benchResultSchema.safeParse(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
      if (!parsed.success) throw new Error(`${path.join(dir, f)}: not a benchmark result: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    })
    .sort((a, b) => b.measuredAt.localeCompare(a.measuredAt));
}

/** The value in `column` of the first row whose first cells equal `key` (e.g. `['test']`), or null. */
export function cellOf(result: BenchResult, key: readonly BenchCell[], column: string): BenchCell {
  const c = result.columns.indexOf(column);
  if (c < 0) return null;
  const row = result.rows.find((r) => key.every((k, i) => r[i] === k));
  return row?.[c] ?? null;
}

/**
 * The newest row of each log size (its `interactions` cell) over `bench:scale` results given
 * newest first, as readBenchResults gives them, each with the result it came from; smallest log
 * first. The sizes are run one at a time (the 20M case once, by hand), so no one file holds them all.
 */
export function newestRowPerSize(results: readonly BenchResult[]): { readonly row: readonly BenchCell[]; readonly from: BenchResult }[] {
  const bySize = new Map<number, { row: readonly BenchCell[]; from: BenchResult }>();
  for (const from of results) {
    for (const row of from.rows) {
      const size = row[from.columns.indexOf('interactions')];
      if (typeof size === 'number' && !bySize.has(size)) bySize.set(size, { row, from });
    }
  }
  return [...bySize.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry);
}
