import type { RejectedRow } from './batches.js';
import { openInteractionWriter } from './interaction-writer.js';
import { sqliteOf, type Store } from './store.js';

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
 * Stores a small set of already-validated interactions (an API write) as one complete batch,
 * synchronously, so concurrent requests in one process never interleave. `rejects` (rows the
 * caller refused) are recorded under the batch too.
 */
export function writeInteractionBatch(store: Store, source: string, rows: readonly InteractionRecord[], rejects: readonly RejectedRow[]): WriteBatchResult {
  const { sqlite } = sqliteOf(store);
  const now = Math.floor(Date.now() / 1000);
  const batchId = Number(
    sqlite.prepare("insert into ingest_batches (kind, source, format, status, started_at) values ('interactions', ?, 'api', 'running', ?)").run(source, now)
      .lastInsertRowid,
  );
  const writer = openInteractionWriter(store, batchId, { bulk: false });
  let inserted: number;
  try {
    for (const r of rows) writer.add(r.user, r.item, r.ts, r.event, r.weight);
    for (const r of rejects) writer.reject(r);
    writer.commit();
    inserted = writer.inserted;
  } catch (err) {
    writer.abort();
    sqlite.prepare("update ingest_batches set status = 'failed', finished_at = ?, error = ? where id = ?").run(now, String(err), batchId);
    throw err;
  }
  sqlite
    .prepare(
      `update ingest_batches set status = 'complete', rows_read = ?, rows_inserted = ?, duplicates = ?, rejected = ?,
       finished_at = ? where id = ?`,
    )
    .run(rows.length + rejects.length, inserted, rows.length - inserted, rejects.length, now, batchId);
  return { batchId, inserted, duplicates: rows.length - inserted };
}
