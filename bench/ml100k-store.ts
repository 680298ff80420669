import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_MAX_ERRORS, ingestFiles, prepareFiles } from '../src/ingest/index.js';
import { openStore, readInteractionLog, type InteractionLog, type Store } from '../src/store/index.js';

/** Repo-relative locations of the shared ml-100k data (read in place, never copied). */
export const ML100K_DATASET_DIR = path.resolve(import.meta.dirname, '../../../shared/datasets/ml-100k');
export const ML100K_SPLIT_DIR = path.resolve(import.meta.dirname, '../../../shared/benchmarks/ml-100k');

/** Rows of a split TSV as `{ user, item, ts }` (external ids, unix seconds). */
export function splitRows(file: string): { user: string; item: string; ts: number }[] {
  return readFileSync(path.join(ML100K_SPLIT_DIR, file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [user, item, , ts] = l.split('\t');
      return { user, item, ts: Number(ts) };
    });
}

/** Rows of a split TSV as `[user, item]` external ids. */
export function splitPairs(file: string): [string, string][] {
  return splitRows(file).map((r) => [r.user, r.item]);
}

/**
 * Ingests ml-100k into `store` through the real pipeline (`ingestFiles`): the user and item atomic
 * files, then the given split TSVs. `leaveOut` items are left out of both (their lines filtered
 * into copies under `scratchDir`, never into the repository), as if the catalogue never had them.
 */
export async function ingestMl100k(store: Store, splitFiles: readonly string[], leaveOut: ReadonlySet<string> = new Set(), scratchDir?: string): Promise<void> {
  const opts = { maxErrors: DEFAULT_MAX_ERRORS, multiSep: '|' };
  const kept = (file: string): string => {
    if (leaveOut.size === 0) return file;
    if (scratchDir === undefined) throw new Error('ingestMl100k: leaving items out needs a scratch folder');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const out = path.join(scratchDir, `kept-${path.basename(file)}`);
    // The item id is the first column of the item file and the second of the split TSVs.
    const column = file.endsWith('.item') ? 0 : 1;
    writeFileSync(out, [lines[0], ...lines.slice(1).filter((l) => !leaveOut.has(l.split('\t')[column]))].join('\n') + '\n');
    return out;
  };
  await ingestFiles(store, 'users', await prepareFiles('users', [path.join(ML100K_DATASET_DIR, 'ml-100k.user')], {}), opts);
  await ingestFiles(store, 'items', await prepareFiles('items', [kept(path.join(ML100K_DATASET_DIR, 'ml-100k.item'))], {}), opts);
  const files = splitFiles.map((f) => kept(path.join(ML100K_SPLIT_DIR, f)));
  const summary = await ingestFiles(store, 'interactions', await prepareFiles('interactions', files, {}), opts);
  if (summary.rejected > 0) throw new Error(`ml-100k ingest rejected ${summary.rejected} rows`);
}

/**
 * Loads ml-100k through the real pipeline: a temporary SQLite store, `ingestMl100k`, then
 * `readInteractionLog` (which returns the whole catalogue, so all 1,682 items are ranked even
 * when no split row references them).
 */
export async function ml100kThroughStore(splitFiles: readonly string[]): Promise<InteractionLog> {
  const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-quality-'));
  const store = await openStore(path.join(dir, 'ml100k.db'));
  try {
    await ingestMl100k(store, splitFiles);
    return await readInteractionLog(store);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
