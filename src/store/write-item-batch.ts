import type { FeatureKind, FeatureValue } from './interaction-log.js';
import { openEntityWriter } from './entity-writer.js';
import { kyselyOf, type Store } from './store.js';

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
 * A failure marks the batch `failed` with the error (as `writeInteractionBatch` does).
 */
export async function writeItemBatch(
  store: Store,
  source: string,
  items: readonly { readonly id: string; readonly features: Readonly<Record<string, FeatureValue>> }[],
  kinds: ReadonlyMap<string, FeatureKind>,
): Promise<WriteItemsResult> {
  const db = kyselyOf(store);
  const now = Math.floor(Date.now() / 1000);
  const { id: batchId } = await db
    .insertInto('ingest_batches')
    .values({ kind: 'items', source, format: 'api', status: 'running', started_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const writer = await openEntityWriter(store, 'item', batchId);
  let counts: Record<'inserted' | 'updated' | 'unchanged', number>;
  try {
    await writer.declareFields(kinds);
    counts = await writer.upsert(items.map((item) => ({ externalId: item.id, features: item.features })));
    await writer.commit();
  } catch (err) {
    await writer.abort();
    await db
      .updateTable('ingest_batches')
      .set({ status: 'failed', finished_at: now, error: String(err) })
      .where('id', '=', batchId)
      .execute();
    throw err;
  }
  await db
    .updateTable('ingest_batches')
    .set({ status: 'complete', rows_read: items.length, rows_inserted: counts.inserted, duplicates: counts.unchanged, finished_at: now })
    .where('id', '=', batchId)
    .execute();
  return { batchId, ...counts };
}
