import type { FeatureKind, FeatureValue } from './interaction-log.js';
import { runApiBatch } from './batches.js';
import { openEntityWriter, type UpsertOutcome } from './entity-writer.js';
import type { Store } from './store.js';

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
export async function writeItemBatch(
  store: Store,
  source: string,
  items: readonly { readonly id: string; readonly features: Readonly<Record<string, FeatureValue>> }[],
  kinds: ReadonlyMap<string, FeatureKind>,
): Promise<WriteItemsResult> {
  return runApiBatch(store, 'items', source, async (batchId) => {
    const writer = await openEntityWriter(store, 'item', batchId);
    let counts: Record<UpsertOutcome, number>;
    try {
      await writer.declareFields(kinds);
      counts = await writer.upsert(items.map((item) => ({ externalId: item.id, features: item.features })));
      await writer.commit();
    } catch (err) {
      await writer.abort();
      throw err;
    }
    return {
      counts: { rowsRead: items.length, rowsInserted: counts.inserted, duplicates: counts.unchanged, rejected: 0 },
      result: { batchId, ...counts },
    };
  });
}
