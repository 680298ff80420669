import type { Kysely } from 'kysely';
import { columnTypesOf } from './column-types.js';

/**
 * `idempotency_keys`: one row per `Idempotency-Key` a `POST /v1/interactions` carried, written in
 * the transaction of its rows, so that a retried request (a client that never saw the answer, a
 * load balancer's retry to another replica) writes nothing and gets the first answer back: the
 * batch the rows went in, the answer's counts, and the sha256 of the request's canonical body, to
 * refuse the same key with a different body.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take kysely's untyped Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypesOf(db);
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('body_sha256', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'integer', (c) => c.notNull().references('ingest_batches.id'))
    .addColumn('inserted', 'integer', (c) => c.notNull())
    .addColumn('duplicates', 'integer', (c) => c.notNull())
    .addColumn('rejected', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();
}

/** Drops the table. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
}
