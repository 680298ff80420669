import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database.js';
import { dialectOf, type Store } from './store.js';

/**
 * Serialises transactions that read a row before they write it (or write a row that may not
 * exist yet) across every process and machine. On SQLite the writable store's transactions
 * already begin with the write lock (`begin immediate`), so this does nothing there; on
 * PostgreSQL, where READ COMMITTED lets two such transactions interleave, it takes a transaction-
 * scoped advisory lock on `name`, released when the transaction ends.
 */
export async function lockForTransaction(store: Store, tx: Transaction<Database> | Kysely<Database>, name: string): Promise<void> {
  if (dialectOf(store).dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`contrarec:${name}`}))`.execute(tx);
}
