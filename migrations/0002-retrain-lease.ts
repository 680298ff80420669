import { sql, type Kysely } from 'kysely';
import { columnTypesOf } from './column-types.js';

/**
 * What the retrain pipeline needs: a `leases` table (one row per named job; the holder's
 * identity, heartbeat and expiry) so that two retrains never overlap across processes, and
 * `model_activations`, the history of which version became active when, so that `models
 * rollback` can find the previous good version.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypesOf(db);
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('acquired_at', t.time, (c) => c.notNull())
    .addColumn('heartbeat_at', t.time, (c) => c.notNull())
    .addColumn('expires_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('model_activations')
    .addColumn('id', 'integer', t.rowId)
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('activated_at', t.time, (c) => c.notNull())
    .execute();
  // Models active before this migration count as activated now, so rollback history starts with them.
  await sql`insert into model_activations (version, activated_at) select version, created_at from models where status = 'active'`.execute(db);
}

/** Drops both tables. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('model_activations').execute();
  await db.schema.dropTable('leases').execute();
}
