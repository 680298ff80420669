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
  /** Written as the rating column (default 1). */
  readonly rating?: number;
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
  writeFileSync(file, `user_id\titem_id\trating\ttimestamp\n${rows.map((r) => `${r.user}\t${r.item}\t${r.rating ?? 1}\t${r.ts}`).join('\n')}\n`);
  return file;
}

/**
 * A real store and a small trained model on the fixture's chronological split: users, items and
 * train+valid interactions ingested into `<dir>/db/contrarec.db`, then 3 quick epochs of training
 * (the test split stays outside the store). Shared by the evaluation tests.
 */
export async function trainOnSyntheticSplit(
  dir: string,
  split: { train: Row[]; valid: Row[] },
): Promise<{ dbPath: string; artifactDir: string; validRecall20: number }> {
  const { DEFAULT_MAX_ERRORS, ingestFiles, prepareFiles } = await import('../../src/ingest/index.js');
  const { openStore } = await import('../../src/store/index.js');
  const { runTraining } = await import('../../src/train/run-training.js');
  const dbPath = path.join(dir, 'db', 'contrarec.db');
  const store = await openStore(dbPath);
  const opts = { maxErrors: DEFAULT_MAX_ERRORS, multiSep: '|' };
  try {
    await ingestFiles(store, 'users', await prepareFiles('users', [path.join(SYNTHETIC, 'users.csv')], {}), opts);
    await ingestFiles(store, 'items', await prepareFiles('items', [path.join(SYNTHETIC, 'items.csv')], {}), opts);
    const files = [writeTsv(dir, 'train.tsv', split.train), writeTsv(dir, 'valid.tsv', split.valid)];
    await ingestFiles(store, 'interactions', await prepareFiles('interactions', files, {}), opts);
  } finally {
    store.close();
  }
  const small = { epochs: 3, batchSize: 256, globalNegatives: 64, sslBatchSize: 64, learningRate: 5e-3, embeddingLearningRate: 2e-2 };
  const r = await runTraining({ dbPath, train: small, model: { embeddingDim: 16, hiddenSizes: [32, 16] }, log: () => {} });
  return { dbPath, artifactDir: r.artifactDir, validRecall20: r.result.best['recall@20']! };
}
