import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Repository root and the synthetic fixture (300 users, 200 items, 6,000 interactions). */
export const REPO = path.resolve(import.meta.dirname, '../..');
export const SYNTHETIC = path.join(REPO, 'fixtures/synthetic');

/** One interaction row of the fixture, as plain strings/numbers (parsed here, independently of src/ingest). */
export interface Row {
  readonly user: string;
  readonly item: string;
  readonly ts: number;
}

/** The fixture's interactions (header: user_id,item_id,timestamp,event). */
export function syntheticRows(): Row[] {
  return readFileSync(path.join(SYNTHETIC, 'interactions.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [user, item, ts] = line.split(',');
      return { user, item, ts: Number(ts) };
    });
}

/**
 * The benchmark's split protocol applied to the fixture: per user, sorted by (ts, item), the
 * last max(1, floor(0.1 n + 0.5)) rows are test, the same number before them valid, the rest train.
 */
export function chronologicalSplit(rows: readonly Row[]): { train: Row[]; valid: Row[]; test: Row[] } {
  const byUser = new Map<string, Row[]>();
  for (const r of rows) byUser.set(r.user, [...(byUser.get(r.user) ?? []), r]);
  const out = { train: [] as Row[], valid: [] as Row[], test: [] as Row[] };
  for (const list of byUser.values()) {
    list.sort((a, b) => a.ts - b.ts || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
    const n = list.length;
    const h = n < 3 ? 0 : Math.max(1, Math.floor(0.1 * n + 0.5));
    out.train.push(...list.slice(0, n - 2 * h));
    out.valid.push(...list.slice(n - 2 * h, n - h));
    out.test.push(...list.slice(n - h));
  }
  return out;
}

/** Writes rows as a benchmark-style TSV (user_id, item_id, rating, timestamp) and returns its path. */
export function writeTsv(dir: string, name: string, rows: readonly Row[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `user_id\titem_id\trating\ttimestamp\n${rows.map((r) => `${r.user}\t${r.item}\t1\t${r.ts}`).join('\n')}\n`);
  return file;
}
