import type { FeatureKind, FeatureValue } from './interaction-log.js';
import { openEntityWriter } from './entity-writer.js';
import { sqliteOf, type Store } from './store.js';

/** Counts of one {@link writeItemBatch} call. */
export interface WriteItemsResult {
  readonly batchId: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

/**
 * Stores a small set of already-validated items (an API write) as one complete `items` batch, in
 * one transaction, as `contrarec ingest items` stores a file's: new items inserted, known ones
 * given the new features (merged into theirs), the fields' kinds declared (widened as ingest does).
 */
export function writeItemBatch(
  store: Store,
  source: string,
  items: readonly { readonly id: string; readonly features: Readonly<Record<string, FeatureValue>> }[],
  kinds: ReadonlyMap<string, FeatureKind>,
): WriteItemsResult {
  const { sqlite } = sqliteOf(store);
  const now = Math.floor(Date.now() / 1000);
  const batchId = Number(
    sqlite.prepare("insert into ingest_batches (kind, source, format, status, started_at) values ('items', ?, 'api', 'running', ?)").run(source, now)
      .lastInsertRowid,
  );
  const writer = openEntityWriter(store, 'item', batchId);
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  try {
    writer.declareFields(kinds);
    for (const item of items) counts[writer.upsert(item.id, item.features)]++;
    writer.commit();
  } catch (err) {
    writer.abort();
    sqlite.prepare("update ingest_batches set status = 'failed', finished_at = ?, error = ? where id = ?").run(now, String(err), batchId);
    throw err;
  }
  sqlite
    .prepare("update ingest_batches set status = 'complete', rows_read = ?, rows_inserted = ?, duplicates = ?, finished_at = ? where id = ?")
    .run(items.length, counts.inserted, counts.unchanged, now, batchId);
  return { batchId, ...counts };
}
