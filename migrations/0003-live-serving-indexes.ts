import type { Kysely } from 'kysely';

/**
 * What live serving reads while it serves: the interactions that arrived since a batch id (the
 * change check of `readInteractionChanges`, which appends them to the histories a version holds
 * in memory) and the items deleted since a time (`readItemChanges`). Without these indexes each
 * is a scan of the whole table. On a WITHOUT ROWID table a secondary index also holds the
 * primary key (ts, user_id, item_id, event), so the first covers its query, and a batch's rows
 * are appended near the right edge of `interactions_by_batch` as an ingest writes them. There is
 * no index by user: inserts into it land at random positions, which `npm run bench:ingest` shows
 * costs the ingest most of its speed; a user's history is read from memory instead.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- kysely's migrations take an untyped Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('interactions_by_batch').on('interactions').column('batch_id').execute();
  await db.schema.createIndex('items_by_deleted_at').on('items').column('deleted_at').execute();
}

/** Drops the two indexes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['items_by_deleted_at', 'interactions_by_batch']) await db.schema.dropIndex(name).execute();
}
