import type { CompiledQuery } from 'kysely';
import type { RejectedRow } from './batches.js';

/**
 * Interactions whose users, items and event types are given as indexes into dictionaries
 * that grow chunk by chunk ({@link InteractionWriter.extendDictionaries}): what the ingest
 * parser (possibly a worker thread) hands over, so that the writer resolves each distinct
 * external id to its internal id once instead of once per row. Only the first `count`
 * entries of each array are rows.
 */
export interface EncodedInteractions {
  readonly count: number;
  readonly user: Int32Array;
  readonly item: Int32Array;
  readonly event: Int32Array;
  /** Unix seconds. */
  readonly ts: Float64Array;
  readonly weight: Float64Array;
}

/**
 * A statement a commit runs in its transaction after the rows, built from the rows the writer has
 * inserted by then (e.g. the record of an idempotency key with the write's counts).
 */
export type ClosingStatement = (inserted: number) => CompiledQuery;

/**
 * The ingest hot path: inserts already-validated interactions of one batch, in transactions
 * that the caller commits every chunk; unknown users/items are created with empty features,
 * tagged with the batch so that a rollback can remove them again. Rows already stored (the
 * dedupe key) are ignored.
 */
export interface InteractionWriter {
  /** Queues one row for insertion (rows already stored are ignored; see `inserted`). */
  add(user: string, item: string, ts: number, event: string, weight: number): Promise<void>;
  /** Appends external ids (and event names) to the dictionaries that encoded rows index into. */
  extendDictionaries(users: readonly string[], items: readonly string[], events: readonly string[]): void;
  /** Queues rows `start`..`end - 1` of `rows`, like {@link add} for each. */
  addEncoded(rows: EncodedInteractions, start: number, end: number): Promise<void>;
  /** Records a rejected row in the same transaction as the rows around it. */
  reject(row: RejectedRow): Promise<void>;
  /** Commits everything added since the last commit (a no-op when nothing is pending), with `closing` in the same transaction. */
  commit(closing?: ClosingStatement): Promise<void>;
  /** Rolls back what is pending and forgets ids created in it. */
  abort(): Promise<void>;
  /** Rows actually inserted (added minus duplicates); rows still buffered count after the next commit(). */
  readonly inserted: number;
}
