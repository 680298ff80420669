import type { Kysely } from 'kysely';

/**
 * What live serving reads on a request's path: one user's interactions (a user vector computed
 * from the current history, `readUserLiveHistory`), the users whose interactions arrived since a
 * batch id (the change check of `readInteractionChanges`), and the items deleted since a time
 * (`readItemChanges`). Without these indexes each is a scan of the whole table. On a WITHOUT ROWID
 * table a secondary index also holds the primary key (ts, user_id, item_id, event), so the first
 * two cover their queries, a user's rows come out in time order, and a batch's rows are appended
 * near the right edge of `interactions_by_batch` as an ingest writes them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- kysely's migrations take an untyped Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('interactions_by_user').on('interactions').column('user_id').execute();
  await db.schema.createIndex('interactions_by_batch').on('interactions').column('batch_id').execute();
  await db.schema.createIndex('items_by_deleted_at').on('items').column('deleted_at').execute();
}

/** Drops the three indexes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['items_by_deleted_at', 'interactions_by_batch', 'interactions_by_user']) await db.schema.dropIndex(name).execute();
}
