import { sql } from 'kysely';
import type { BatchStatus, IngestBatchTable } from './database.js';
import { sqliteOf, type Store } from './store.js';

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
  const { db } = sqliteOf(store);
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
  const { db } = sqliteOf(store);
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

/** Number of interactions stored under a batch (counts what earlier, killed runs committed). */
export function countBatchInteractions(store: Store, batchId: number): number {
  const row = sqliteOf(store).sqlite.prepare('select count(*) as n from interactions where batch_id = ?').get(batchId) as { n: number };
  return row.n;
}

/**
 * Undoes an interactions batch in one transaction: its interactions, and the users and items
 * it created only as references (no features, no interactions left), are deleted. The batch
 * row and its rejects are kept with status `rolled_back`, so the record is never lost.
 */
export async function rollbackBatch(store: Store, batchId: number, outcome: Omit<BatchOutcome, 'status'>): Promise<void> {
  const { db } = sqliteOf(store);
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('interactions').where('batch_id', '=', batchId).execute();
    await sql`delete from users where batch_id = ${batchId} and features = '{}'
      and id not in (select distinct user_id from interactions)`.execute(tx);
    await sql`delete from items where batch_id = ${batchId} and features = '{}'
      and id not in (select distinct item_id from interactions)`.execute(tx);
  });
  await finishBatch(store, batchId, { ...outcome, status: 'rolled_back', rowsInserted: 0 });
}

/** Appends rejected rows to a batch (used when they must outlive a rolled-back transaction). */
export function insertRejects(store: Store, batchId: number, rows: readonly RejectedRow[]): void {
  const { sqlite } = sqliteOf(store);
  const stmt = sqlite.prepare('insert into rejected_rows (batch_id, file, line, raw, reason) values (?, ?, ?, ?, ?)');
  sqlite.transaction(() => {
    for (const r of rows) stmt.run(batchId, r.file, r.line, r.raw, r.reason);
  })();
}

/** Rejected rows of a batch in input order (at most `limit`). */
export async function listRejects(store: Store, batchId: number, limit = 1000): Promise<RejectedRow[]> {
  return sqliteOf(store)
    .db.selectFrom('rejected_rows')
    .select(['file', 'line', 'raw', 'reason'])
    .where('batch_id', '=', batchId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** All batches, newest first. */
export async function listBatches(store: Store): Promise<IngestBatch[]> {
  const rows = await sqliteOf(store).db.selectFrom('ingest_batches').selectAll().orderBy('id', 'desc').execute();
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
