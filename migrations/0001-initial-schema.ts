import { sql, type Kysely } from 'kysely';
import { columnTypesOf } from './column-types.js';

/**
 * The initial schema: entities with JSON side features, their declared feature kinds,
 * interactions keyed (and so deduplicated) on (ts, user, item, event), ingest batches with their rejected
 * rows, and the model registry. Migrations take `Kysely<any>` because they describe the
 * schema as it was at their time, not as the current `Database` type says.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any, max-lines-per-function -- kysely's migrations take an untyped Kysely<any> (the schema they build is what the store's types describe); the schema reads best as one list of tables
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypesOf(db);
  await db.schema
    .createTable('ingest_batches')
    .addColumn('id', 'integer', t.rowId)
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('interactions','users','items')`))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running','complete','rolled_back','failed')`))
    .addColumn('rows_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_inserted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('duplicates', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', t.time, (c) => c.notNull())
    .addColumn('finished_at', t.time)
    .addColumn('error', 'text')
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', t.rowId)
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('features', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('batch_id', 'integer', (c) => c.references('ingest_batches.id').onDelete('set null'))
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('items')
    .addColumn('id', 'integer', t.rowId)
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('features', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('deleted_at', t.time)
    .addColumn('batch_id', 'integer', (c) => c.references('ingest_batches.id').onDelete('set null'))
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('feature_fields')
    .addColumn('entity', 'text', (c) => c.notNull().check(sql`entity in ('user','item')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('categorical','multi','numeric')`))
    .addPrimaryKeyConstraint('feature_fields_pk', ['entity', 'name'])
    .execute();

  // The dedupe key is the primary key (on SQLite, of a WITHOUT ROWID table: one B-tree instead of a rowid
  // table plus a unique index, a quarter less CPU per ingested row). It is led by ts because
  // logs arrive roughly in time order, so new keys append at the right edge instead of landing
  // on random pages, and it is the (ts, user, item) order the trainer reads in.
  await db.schema
    .createTable('interactions')
    .addColumn('ts', t.time, (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => t.interactionReference('users.id')(c.notNull()))
    .addColumn('item_id', 'integer', (c) => t.interactionReference('items.id')(c.notNull()))
    .addColumn('event', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('weight', t.float, (c) => c.notNull().defaultTo(1))
    .addColumn('batch_id', 'integer', t.interactionReference('ingest_batches.id'))
    .addPrimaryKeyConstraint('interactions_pk', ['ts', 'user_id', 'item_id', 'event'])
    .$call((b) => (t.postgres ? b : b.modifyEnd(sql`without rowid`)))
    .execute();

  await db.schema
    .createTable('rejected_rows')
    .addColumn('id', 'integer', t.rowId)
    .addColumn('batch_id', 'integer', (c) => c.notNull().references('ingest_batches.id'))
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rejected_rows_batch').on('rejected_rows').columns(['batch_id', 'id']).execute();

  await db.schema
    .createTable('models')
    .addColumn('id', 'integer', t.rowId)
    .addColumn('version', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('training','ready','active','failed','retired')`))
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('finished_at', t.time)
    .addColumn('data_from', t.time)
    .addColumn('data_to', t.time)
    .addColumn('config', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('metrics', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('artifact_dir', 'text')
    .addColumn('reason', 'text')
    .execute();
  // At most one active model, enforced by the database rather than by convention.
  await sql`create unique index models_one_active on models(status) where status = 'active'`.execute(db);
}

/** Drops everything `up` created, children first. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['models', 'rejected_rows', 'interactions', 'feature_fields', 'items', 'users', 'ingest_batches']) {
    await db.schema.dropTable(table).execute();
  }
}
