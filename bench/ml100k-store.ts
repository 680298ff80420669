import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_MAX_ERRORS, ingestFiles, prepareFiles } from '../src/ingest/index.js';
import { openStore, readInteractionLog, type InteractionLog } from '../src/store/index.js';

/** Repo-relative locations of the shared ml-100k data (read in place, never copied). */
export const ML100K_DATASET_DIR = path.resolve(import.meta.dirname, '../../../shared/datasets/ml-100k');
export const ML100K_SPLIT_DIR = path.resolve(import.meta.dirname, '../../../shared/benchmarks/ml-100k');

/** Rows of a split TSV as `[user, item]` external ids. */
export function splitPairs(file: string): [string, string][] {
  return readFileSync(path.join(ML100K_SPLIT_DIR, file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t').slice(0, 2) as [string, string]);
}

/**
 * Loads ml-100k through the real pipeline: a temporary SQLite store, `ingestFiles` for the user and
 * item atomic files and the given split TSVs, then `readInteractionLog` (which returns the whole
 * catalogue, so all 1,682 items are ranked even when no split row references them).
 */
export async function ml100kThroughStore(splitFiles: readonly string[]): Promise<InteractionLog> {
  const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-quality-'));
  const store = await openStore(path.join(dir, 'ml100k.db'));
  const opts = { maxErrors: DEFAULT_MAX_ERRORS, multiSep: '|' };
  try {
    await ingestFiles(store, 'users', await prepareFiles('users', [path.join(ML100K_DATASET_DIR, 'ml-100k.user')], {}), opts);
    await ingestFiles(store, 'items', await prepareFiles('items', [path.join(ML100K_DATASET_DIR, 'ml-100k.item')], {}), opts);
    const files = splitFiles.map((f) => path.join(ML100K_SPLIT_DIR, f));
    const summary = await ingestFiles(store, 'interactions', await prepareFiles('interactions', files, {}), opts);
    if (summary.rejected > 0) throw new Error(`ml-100k ingest rejected ${summary.rejected} rows`);
    return await readInteractionLog(store);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
