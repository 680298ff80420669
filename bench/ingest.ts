/**
 * Ingest benchmark: generates interaction CSVs (1M and 3M rows, seeded) in a temp dir, then
 * ingests each into a fresh SQLite file through the same code path as `contrarec ingest`, in a
 * child process of its own so that peak RSS belongs to that ingest alone. Prints a table of
 * rows, seconds, rows/s (wall, per CPU-second of all threads, per CPU-second of the main thread)
 * and peak RSS; a flat RSS across sizes shows streaming in constant memory.
 *
 * @example
 *   npm run build && npm run bench:ingest            # both sizes
 *   node dist/bench/ingest.js --rows 1000000         # one size
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/common/rng.js';
import { DEFAULT_MAX_ERRORS, ingestFiles, prepareFiles } from '../src/ingest/index.js';
import { openStore } from '../src/store/index.js';
import { reportBenchTable, type BenchCell } from './bench-results.js';

const SIZES = [1_000_000, 3_000_000];

/** Writes `rows` interactions (50k users, 20k items, Zipf-ish item popularity) as CSV. */
async function generate(file: string, rows: number): Promise<void> {
  const rng = createRng(rows);
  const out = fs.createWriteStream(file);
  const write = (s: string): Promise<void> => (out.write(s) ? Promise.resolve() : new Promise((resolve) => out.once('drain', () => resolve())));
  await write('user_id,item_id,timestamp,rating\n');
  let ts = 1_600_000_000;
  let buf = '';
  for (let k = 0; k < rows; k++) {
    ts += rng.int(3);
    const item = Math.floor(20_000 * rng.next() ** 3);
    buf += `u${rng.int(50_000)},i${item},${ts},${1 + rng.int(5)}\n`;
    if (buf.length > 1 << 16) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/**
 * CPU seconds of this process's main thread (Linux: /proc/self/task/<pid>/stat), or NaN. Large
 * files are parsed on a worker thread, so the main thread (SQLite writes) is the critical path:
 * rows per main-thread CPU-second is what an otherwise idle 2-core machine would reach.
 */
function mainThreadCpuSeconds(): number {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ = 100
  } catch {
    return NaN;
  }
}

/** Child mode: ingest one file into a fresh db and print one JSON line. */
async function child(file: string, dbPath: string): Promise<void> {
  // Timed from here, after the modules are loaded (kysely alone is ~0.4 CPU-s of imports).
  const start = process.hrtime.bigint();
  const cpuAtStart = process.cpuUsage();
  const mainCpuAtStart = mainThreadCpuSeconds();
  const files = await prepareFiles('interactions', [file], {});
  const store = await openStore(dbPath);
  const summary = await ingestFiles(store, 'interactions', files, { maxErrors: DEFAULT_MAX_ERRORS, multiSep: '|' });
  store.close();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const usage = process.resourceUsage();
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const mainCpuSeconds = mainThreadCpuSeconds() - mainCpuAtStart;
  process.stdout.write(`${JSON.stringify({ rows: summary.inserted, seconds, cpuSeconds, mainCpuSeconds, peakRssMiB: usage.maxRSS / 1024 })}\n`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1], args[2]);
  const sizes = args[0] === '--rows' ? [Number(args[1])] : SIZES;
  const loadAtStart = os.loadavg()[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrarec-bench-'));
  const self = fileURLToPath(import.meta.url);
  const rowsOut: BenchCell[][] = [];
  try {
    for (const n of sizes) {
      const csv = path.join(dir, `interactions-${n}.csv`);
      await generate(csv, n);
      const line = execFileSync(process.execPath, [self, '--child', csv, path.join(dir, `bench-${n}.db`)], { encoding: 'utf8' });
      const r = JSON.parse(line) as { rows: number; seconds: number; cpuSeconds: number; mainCpuSeconds: number; peakRssMiB: number };
      const rate = (s: number): number => Math.round(r.rows / s);
      const fixed2 = (s: number): number => Number(s.toFixed(2));
      rowsOut.push([
        n,
        r.rows,
        fixed2(r.seconds),
        rate(r.seconds),
        fixed2(r.cpuSeconds),
        rate(r.cpuSeconds),
        fixed2(r.mainCpuSeconds),
        rate(r.mainCpuSeconds),
        Math.round(r.peakRssMiB),
      ]);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // CPU seconds are shown beside wall seconds because the machine's cores may be shared: "cpu s"
  // counts every thread (main + parse worker + SQLite/GC helpers), "main cpu s" the main thread.
  reportBenchTable('ingest', {
    title: `CSV ingest into a fresh SQLite db (load average (1 min) at start ${loadAtStart.toFixed(2)}, at end ${os.loadavg()[0].toFixed(2)}, on ${os.cpus().length} cores)`,
    columns: ['file rows', 'inserted', 'seconds', 'rows/s', 'cpu s', 'rows/cpu-s', 'main cpu s', 'rows/main-cpu-s', 'peak RSS MiB'],
    rows: rowsOut,
  });
}

await main();
