import { runApiBatch, type RejectedRow } from './batches.js';
import { idempotentWriteInsert, type IdempotencyClaim } from './idempotency-keys.js';
import type { ClosingStatement } from './interaction-writer-types.js';
import { openInteractionWriter } from './interaction-writer.js';
import { openSqliteInteractionWriter, type SqliteInteractionWriter } from './sqlite-interaction-writer.js';
import { dialectOf, type Store } from './store.js';

/** A validated interaction as the store takes it. */
export interface InteractionRecord {
  readonly user: string;
  readonly item: string;
  readonly ts: number;
  readonly event: string;
  readonly weight: number;
}

/** Counts of one {@link writeInteractionBatch} call. */
export interface WriteBatchResult {
  readonly batchId: number;
  readonly inserted: number;
  readonly duplicates: number;
}

/**
 * Stores a small set of already-validated interactions (an API write) as one complete batch.
 * `rejects` (rows the caller refused) are recorded under the batch too. The rows and rejects go
 * in one transaction, with `claim`'s idempotency key and the answer's counts when given (a key
 * already recorded fails the write, and nothing is written); a failure marks the batch `failed`
 * with the error.
 */
export async function writeInteractionBatch(
  store: Store,
  source: string,
  rows: readonly InteractionRecord[],
  rejects: readonly RejectedRow[],
  claim?: IdempotencyClaim,
): Promise<WriteBatchResult> {
  return runApiBatch(store, 'interactions', source, async (batchId) => {
    const closing: ClosingStatement | undefined =
      claim && ((inserted) => idempotentWriteInsert(store, claim, { batchId, inserted, duplicates: rows.length - inserted, rejected: rejects.length }));
    const inserted = await writeRows(store, batchId, rows, rejects, closing);
    const duplicates = rows.length - inserted;
    const counts = { rowsRead: rows.length + rejects.length, rowsInserted: inserted, duplicates, rejected: rejects.length };
    return { counts, result: { batchId, inserted, duplicates } };
  });
}

/** Writes the rows, the rejects and then `closing` in one transaction; returns the rows inserted. */
async function writeRows(
  store: Store,
  batchId: number,
  rows: readonly InteractionRecord[],
  rejects: readonly RejectedRow[],
  closing: ClosingStatement | undefined,
): Promise<number> {
  const concrete = dialectOf(store);
  if (concrete.dialect === 'sqlite') return writeSqliteRows(openSqliteInteractionWriter(concrete.sqlite, batchId, { bulk: false }), rows, rejects, closing);
  const writer = openInteractionWriter(store, batchId);
  try {
    for (const r of rows) await writer.add(r.user, r.item, r.ts, r.event, r.weight);
    for (const r of rejects) await writer.reject(r);
    await writer.commit(closing);
    return writer.inserted;
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

/**
 * SQLite's version, synchronous from its `begin` to its `commit`: two requests of one server
 * share its one connection, and must never interleave inside a transaction.
 */
function writeSqliteRows(
  writer: SqliteInteractionWriter,
  rows: readonly InteractionRecord[],
  rejects: readonly RejectedRow[],
  closing: ClosingStatement | undefined,
): number {
  try {
    for (const r of rows) writer.add(r.user, r.item, r.ts, r.event, r.weight);
    for (const r of rejects) writer.reject(r);
    writer.commit(closing);
    return writer.inserted;
  } catch (err) {
    writer.abort();
    throw err;
  }
}
