import type { Kysely } from 'kysely';
import { columnTypesOf } from './column-types.js';

/**
 * Model artifacts stored in the database, so that every machine with the database URL can load a
 * version: one row per file (its size and sha256) and its bytes in ordered chunks. Created on both
 * dialects so that the schema, the `Database` type and the migration history stay one; only a
 * PostgreSQL store writes to them (a SQLite database lives on one machine, beside its artifact
 * folders, and leaves them empty).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take kysely's untyped Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypesOf(db);
  await db.schema
    .createTable('model_artifact_files')
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('size', t.postgres ? 'bigint' : 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_artifact_files_pk', ['version', 'file'])
    .execute();
  await db.schema
    .createTable('model_artifact_chunks')
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('bytes', t.postgres ? 'bytea' : 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_artifact_chunks_pk', ['version', 'file', 'seq'])
    .execute();
}

/** Drops both tables. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('model_artifact_chunks').execute();
  await db.schema.dropTable('model_artifact_files').execute();
}
