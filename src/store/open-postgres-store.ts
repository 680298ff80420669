import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { redactPassword } from '../common/db-location.js';
import type { Database } from './database.js';
import { migrateToLatest } from './migrate.js';
import { PostgresStore, type OpenStoreOptions } from './store.js';

const INT8_OID = 20;

/**
 * How long a query waits for a connection to the server, ms: a server that is down refuses at
 * once, but one out of reach (a dropped network) would otherwise hold every request until the
 * operating system gives up; past this the query fails as unreachable (`isDatabaseUnreachable`).
 */
export const CONNECT_TIMEOUT_MS = 5000;

/**
 * Type parsers of the store's connections: `bigint` columns (times, counts) come back as numbers
 * rather than pg's default strings. Every such value the store holds is a unix time, a count or
 * the untimed key, all within ±2^53, so the conversion is exact.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID && format !== 'binary' ? (text: string) => Number(text) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Connects to (and migrates) a PostgreSQL database through a connection pool. Read-only opens
 * make every transaction read-only; `busyTimeoutMs` becomes the `lock_timeout`, so that a writer
 * waits for another writer's lock as long as it would on SQLite, then fails with a message.
 */
export async function openPostgresStore(url: string, opts: OpenStoreOptions): Promise<PostgresStore> {
  const settings = [`-c lock_timeout=${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`];
  if (opts.readonly) settings.push('-c default_transaction_read_only=on');
  const pool = new pg.Pool({ connectionString: url, types, options: settings.join(' '), connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true });
  // An idle connection the server dropped (a restart, a failover) is discarded by the pool, and
  // the next query connects again; without a listener the 'error' event would end the process.
  // A connection lent out when it drops emits 'error' on itself, where the pool no longer listens
  // (between two statements of a transaction, or just after its query failed): each connection
  // gets its own listener. The queries that fail say so themselves, so neither event is logged.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    const applied = opts.readonly ? [] : await migrateToLatest(db);
    return new PostgresStore(redactPassword(url), pool, db, applied);
  } catch (err) {
    await db.destroy();
    throw err;
  }
}
