/**
 * Ingest into PostgreSQL against SQLite: `contrarec generate` writes a synthetic log (1M and 3M
 * interactions; 50,000 users, 20,000 items), and each size is ingested, by the same code path as
 * `contrarec ingest`, into a fresh SQLite file and into a fresh database on a throwaway
 * PostgreSQL server on this machine (Debian's binaries, fsync on), each in a child process of
 * its own (`bench/ingest.ts --child`). PostgreSQL goes through `COPY … FROM STDIN`. The server
 * shares the machine's cores with the ingest, which the title says.
 *
 * @example
 *   npm run build && npm run bench:ingest-pg             # both sizes
 *   node dist/bench/ingest-postgres.js --rows 1000000    # one size
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reportBenchTable, type BenchCell } from './bench-results.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from './throwaway-postgres.js';

const SIZES = [1_000_000, 3_000_000];
const USERS = 50_000;
const ITEMS = 20_000;

const distDir = import.meta.dirname;
const CLI = path.join(distDir, '..', 'src', 'cli.js');
const INGEST_CHILD = path.join(distDir, 'ingest.js');

/** What one child ingest printed (see bench/ingest.ts). */
interface ChildResult {
  readonly rows: number;
  readonly seconds: number;
  readonly peakRssMiB: number;
}

function generate(dir: string, interactions: number): string {
  execFileSync(process.execPath, [CLI, 'generate', '--out', dir, '--users', String(USERS), '--items', String(ITEMS), '--interactions', String(interactions)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return path.join(dir, 'interactions.csv');
}

function ingestInChild(csv: string, db: string): ChildResult {
  const line = execFileSync(process.execPath, [INGEST_CHILD, '--child', csv, db], { encoding: 'utf8' });
  return JSON.parse(line) as ChildResult;
}

async function measure(server: ThrowawayPostgres, dir: string, n: number): Promise<BenchCell[][]> {
  const csv = generate(path.join(dir, `log-${n}`), n);
  const rows: BenchCell[][] = [];
  for (const [store, db] of [
    ['SQLite', path.join(dir, `bench-${n}.db`)],
    ['PostgreSQL (COPY)', await server.createDatabase()],
  ] as const) {
    const r = ingestInChild(csv, db);
    rows.push([store, n, r.rows, Number(r.seconds.toFixed(2)), Math.round(r.rows / r.seconds), Math.round(r.peakRssMiB)]);
  }
  return rows;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sizes = args[0] === '--rows' ? [Number(args[1])] : SIZES;
  const loadAtStart = os.loadavg()[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrarec-bench-pg-'));
  const server = await startThrowawayPostgres({ fsync: true });
  const rows: BenchCell[][] = [];
  try {
    for (const n of sizes) rows.push(...(await measure(server, dir, n)));
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  reportBenchTable('ingest-postgres', {
    title:
      `CSV ingest of a \`contrarec generate\` log (${USERS} users, ${ITEMS} items) into a fresh SQLite file and a fresh PostgreSQL database ` +
      `(a local server on the same ${os.cpus().length} cores, fsync on; load average (1 min) at start ${loadAtStart.toFixed(2)}, at end ${os.loadavg()[0].toFixed(2)})`,
    columns: ['store', 'file rows', 'inserted', 'seconds', 'rows/s', 'client peak RSS MiB'],
    rows,
    notes: ['Peak RSS is the ingesting process only; the PostgreSQL server runs beside it on the same machine.'],
  });
}

await main();
