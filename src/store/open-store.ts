import { parseDbLocation } from '../common/db-location.js';
import { openPostgresStore } from './open-postgres-store.js';
import { openSqliteStore } from './open-sqlite-store.js';
import type { OpenStoreOptions, Store } from './store.js';

/**
 * Opens and migrates a contrarec database: a SQLite file (a path or `sqlite:PATH`; the file and
 * its directory are created if needed) or a PostgreSQL database (`postgres://user:pass@host:port/db`).
 *
 * @example
 *   const store = await openStore(resolveDbPath(opts.db));
 *   try { ... } finally { await store.close(); }
 */
export async function openStore(db: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const location = parseDbLocation(db);
  return location.dialect === 'sqlite' ? openSqliteStore(location.path, opts) : openPostgresStore(location.url, opts);
}
