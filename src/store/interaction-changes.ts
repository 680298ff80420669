import { sqliteOf, type Store } from './store.js';

/** What `readInteractionChanges` found since a batch id. */
export interface InteractionChanges {
  /**
   * The watermark to ask from next time: the highest batch id up to which every batch is
   * finished, so that the rows of a batch still being written are read again until it is done.
   */
  readonly through: number;
  /** External ids of the users with interactions in later batches; `'too-many'` past `maxUsers`. */
  readonly users: readonly string[] | 'too-many';
}

/**
 * The users whose interactions arrived in batches after `afterBatchId` (every write, from the
 * API or `contrarec ingest`, is a batch): how a serving process learns which of its cached users
 * another writer changed. Two primary-key lookups when nothing changed; otherwise one range of
 * `interactions_by_batch`, stopped after `maxUsers` + 1 users, so a large ingest costs a bounded
 * read and the caller drops its whole cache instead.
 */
export async function readInteractionChanges(store: Store, afterBatchId: number, maxUsers: number): Promise<InteractionChanges> {
  const { newest, through } = await batchWatermarks(store, afterBatchId);
  if (newest <= afterBatchId) return { through: afterBatchId, users: [] };
  const rows = await sqliteOf(store)
    .db.selectFrom('interactions as x')
    .innerJoin('users as u', 'u.id', 'x.user_id')
    .select('u.external_id')
    .distinct()
    .where('x.batch_id', '>', afterBatchId)
    .limit(maxUsers + 1)
    .execute();
  return { through: Math.max(through, afterBatchId), users: rows.length > maxUsers ? 'too-many' : rows.map((r) => r.external_id) };
}

/** The watermark to start following changes from now (`through` of {@link InteractionChanges}). */
export async function readInteractionWatermark(store: Store): Promise<number> {
  return (await batchWatermarks(store, 0)).through;
}

/** The newest batch id, and the highest up to which every batch after `afterBatchId` is finished. */
async function batchWatermarks(store: Store, afterBatchId: number): Promise<{ newest: number; through: number }> {
  const { db } = sqliteOf(store);
  const last = await db
    .selectFrom('ingest_batches')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  const running = await db
    .selectFrom('ingest_batches')
    .select((eb) => eb.fn.min('id').as('id'))
    .where('id', '>', afterBatchId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  const newest = last?.id ?? 0;
  return { newest, through: running?.id == null ? newest : running.id - 1 };
}
