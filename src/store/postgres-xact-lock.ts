import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database.js';
import { dialectOf, type Store } from './store.js';

/** The advisory lock key of `name`, as SQL: one namespace for every lock the store takes. */
export function advisoryKeySql(name: string): string {
  if (!/^[\w:-]+$/.test(name)) throw new TypeError(`bad lock name ${name}`);
  return `hashtext('contrarec:${name}')`;
}

/**
 * Serialises transactions that read a row before they write it (or write a row that may not
 * exist yet) across every process and machine. On SQLite the writable store's transactions
 * already begin with the write lock (`begin immediate`), so this does nothing there; on
 * PostgreSQL, where READ COMMITTED lets two such transactions interleave, it takes a transaction-
 * scoped advisory lock on `name`, released when the transaction ends. `shared` holders exclude
 * only exclusive ones.
 */
export async function lockForTransaction(store: Store, tx: Transaction<Database> | Kysely<Database>, name: string, shared = false): Promise<void> {
  if (dialectOf(store).dialect !== 'postgres') return;
  await sql.raw(`select ${shared ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}(${advisoryKeySql(name)})`).execute(tx);
}

/**
 * The lock between PostgreSQL's interaction writers (shared) and the delete of users and items
 * (exclusive): interactions there carry no foreign keys (see migrations/column-types.ts), so a
 * user or item must not be deleted while a writer may reference it in a transaction not yet committed.
 */
export const ENTITIES_LOCK = 'entities';
