import { sql, type Kysely } from 'kysely';
import { isDatabaseUnreachable } from './connection-errors.js';
import type { BatchStatus, Database, IngestBatchTable } from './database.js';
import { isPostgres } from './is-postgres.js';
import { postgresText } from './postgres-text.js';
import { ENTITIES_LOCK, lockForTransaction } from './postgres-xact-lock.js';
import { kyselyOf, type Store } from './store.js';

/** What an ingest batch loads. */
export type BatchKind = IngestBatchTable['kind'];

/** A batch as the ingest code and `stats` see it. */
export interface IngestBatch {
  readonly id: number;
  readonly kind: BatchKind;
  readonly source: string;
  readonly format: string;
  readonly status: BatchStatus;
  readonly rowsRead: number;
  readonly rowsInserted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly error: string | null;
}

/** One rejected input row: where it was, what it said, and why it was refused. */
export interface RejectedRow {
  readonly file: string;
  readonly line: number;
  readonly raw: string;
  readonly reason: string;
}

/** Counts written when a batch ends. */
export interface BatchOutcome {
  readonly status: Exclude<BatchStatus, 'running'>;
  readonly rowsRead: number;
  readonly rowsInserted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly error?: string;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * Starts a batch, committed at once with status `running`, so that a crash leaves a visible
 * record. If an earlier run of the same kind and source never finished (killed), that batch
 * is resumed instead: its rejects are cleared (they will be found again) and the rows it
 * committed stay, so re-running the command completes it with the duplicates ignored.
 */
export async function beginBatch(
  store: Store,
  spec: { readonly kind: BatchKind; readonly source: string; readonly format: string },
): Promise<{ readonly id: number; readonly resumed: boolean }> {
  const db = kyselyOf(store);
  return db.transaction().execute(async (tx) => {
    const stale = await tx
      .selectFrom('ingest_batches')
      .select('id')
      .where('kind', '=', spec.kind)
      .where('source', '=', spec.source)
      .where('status', '=', 'running')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (stale !== undefined) {
      await tx.deleteFrom('rejected_rows').where('batch_id', '=', stale.id).execute();
      return { id: stale.id, resumed: true };
    }
    const row = await tx
      .insertInto('ingest_batches')
      .values({ kind: spec.kind, source: spec.source, format: spec.format, status: 'running', started_at: nowSeconds() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, resumed: false };
  });
}

/** Writes the final status and counts of a batch. */
export async function finishBatch(store: Store, batchId: number, outcome: BatchOutcome): Promise<void> {
  await recordOutcome(kyselyOf(store), batchId, outcome);
}

async function recordOutcome(db: Kysely<Database>, batchId: number, outcome: BatchOutcome): Promise<void> {
  await db
    .updateTable('ingest_batches')
    .set({
      status: outcome.status,
      rows_read: outcome.rowsRead,
      rows_inserted: outcome.rowsInserted,
      duplicates: outcome.duplicates,
      rejected: outcome.rejected,
      finished_at: nowSeconds(),
      error: outcome.error ?? null,
    })
    .where('id', '=', batchId)
    .execute();
}

/** The counts an API write reports once its rows are written (its batch is then `complete`). */
export type ApiWriteCounts = Omit<BatchOutcome, 'status' | 'error'>;

/**
 * Runs one API write (`POST /v1/interactions`, `POST /v1/items`) as a batch of its own, never
 * resumed as a file's batch is (`beginBatch`): recorded `running` first, so that live serving's
 * change watermark waits for it, then `complete` with the counts `write` returns, or `failed`
 * with its error, which is rethrown. When the database cannot be reached to record the end, it
 * is recorded once it can be ({@link finishWhenReachable}): a batch left `running` would hold
 * every replica's change watermark back.
 */
export async function runApiBatch<T>(
  store: Store,
  kind: BatchKind,
  source: string,
  write: (batchId: number) => Promise<{ readonly counts: ApiWriteCounts; readonly result: T }>,
): Promise<T> {
  const { id: batchId } = await kyselyOf(store)
    .insertInto('ingest_batches')
    .values({ kind, source, format: 'api', status: 'running', started_at: nowSeconds() })
    .returning('id')
    .executeTakeFirstOrThrow();
  let done: { readonly counts: ApiWriteCounts; readonly result: T };
  try {
    done = await write(batchId);
  } catch (err) {
    await finishWhenReachable(store, batchId, { status: 'failed', rowsRead: 0, rowsInserted: 0, duplicates: 0, rejected: 0, error: String(err) });
    throw err;
  }
  await finishWhenReachable(store, batchId, { status: 'complete', ...done.counts });
  return done.result;
}

/** How often a batch end that found the database unreachable is tried again, ms. */
const FINISH_RETRY_MS = 1000;

/**
 * {@link finishBatch}; when the database is unreachable, tries again every second in the
 * background until it is recorded (or the store is closed, which fails otherwise), and rethrows,
 * so that the request still fails as unreachable.
 */
async function finishWhenReachable(store: Store, batchId: number, outcome: BatchOutcome): Promise<void> {
  try {
    await finishBatch(store, batchId, outcome);
  } catch (err) {
    if (!isDatabaseUnreachable(err)) throw err;
    const retry = (): void => {
      finishBatch(store, batchId, outcome).catch((again: unknown) => {
        if (isDatabaseUnreachable(again)) setTimeout(retry, FINISH_RETRY_MS).unref();
      });
    };
    setTimeout(retry, FINISH_RETRY_MS).unref();
    throw err;
  }
}

/** Number of interactions stored under a batch (counts what earlier, killed runs committed). */
export async function countBatchInteractions(store: Store, batchId: number): Promise<number> {
  const row = await kyselyOf(store)
    .selectFrom('interactions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('batch_id', '=', batchId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Undoes an interactions batch in one transaction: its interactions, and the users and items
 * it created only as references (no features, no interactions left), are deleted. The batch
 * row and its rejects are kept with status `rolled_back`, so the record is never lost. The
 * status is written in the same transaction as the deletes: PostgreSQL's writers count undone
 * batches to know whether the ids they hold may have been deleted.
 */
export async function rollbackBatch(store: Store, batchId: number, outcome: Omit<BatchOutcome, 'status'>): Promise<void> {
  const db = kyselyOf(store);
  await db.transaction().execute(async (tx) => {
    await lockForTransaction(store, tx, ENTITIES_LOCK);
    await tx.deleteFrom('interactions').where('batch_id', '=', batchId).execute();
    await sql`delete from users where batch_id = ${batchId} and features = '{}'
      and id not in (select distinct user_id from interactions)`.execute(tx);
    await sql`delete from items where batch_id = ${batchId} and features = '{}'
      and id not in (select distinct item_id from interactions)`.execute(tx);
    await recordOutcome(tx, batchId, { ...outcome, status: 'rolled_back', rowsInserted: 0 });
  });
}

/** Appends rejected rows to a batch (used when they must outlive a rolled-back transaction). */
export async function insertRejects(store: Store, batchId: number, rows: readonly RejectedRow[]): Promise<void> {
  await kyselyOf(store)
    .transaction()
    .execute(async (tx) => {
      for (let k = 0; k < rows.length; k += REJECTS_PER_STATEMENT) await insertRejectRows(tx, batchId, rows.slice(k, k + REJECTS_PER_STATEMENT));
    });
}

/** Rejected rows per INSERT: a few hundred rows of five values, well under either dialect's limit on bound values. */
const REJECTS_PER_STATEMENT = 500;

/** One multi-row INSERT of rejected rows (at most {@link REJECTS_PER_STATEMENT}), on a store's handle or inside a transaction. */
export async function insertRejectRows(db: Kysely<Database>, batchId: number, rows: readonly RejectedRow[]): Promise<void> {
  if (rows.length === 0) return;
  const text = isPostgres(db) ? postgresText : (s: string): string => s;
  await db
    .insertInto('rejected_rows')
    .values(rows.map((r) => ({ batch_id: batchId, file: text(r.file), line: r.line, raw: text(r.raw), reason: text(r.reason) })))
    .execute();
}

/** Rejected rows of a batch in input order (at most `limit`). */
export async function listRejects(store: Store, batchId: number, limit = 1000): Promise<RejectedRow[]> {
  return kyselyOf(store)
    .selectFrom('rejected_rows')
    .select(['file', 'line', 'raw', 'reason'])
    .where('batch_id', '=', batchId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** All batches, newest first. */
export async function listBatches(store: Store): Promise<IngestBatch[]> {
  const rows = await kyselyOf(store).selectFrom('ingest_batches').selectAll().orderBy('id', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    source: r.source,
    format: r.format,
    status: r.status,
    rowsRead: r.rows_read,
    rowsInserted: r.rows_inserted,
    duplicates: r.duplicates,
    rejected: r.rejected,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    error: r.error,
  }));
}
