import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './database.js';
import { migrateToLatest } from './migrate.js';
import { SqliteStore, type OpenStoreOptions } from './store.js';
import { WriteLockingSqliteDialect } from './write-locking-dialect.js';

/**
 * Opens (creating the file and its directory if needed) and migrates a SQLite database, in WAL
 * mode with foreign keys on and a busy timeout, so that the server can read while an ingest writes.
 */
export async function openSqliteStore(dbPath: string, opts: OpenStoreOptions): Promise<SqliteStore> {
  const file = path.resolve(dbPath);
  if (!opts.readonly) fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new BetterSqlite3(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  try {
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
    if (!opts.readonly) {
      sqlite.pragma('journal_mode = WAL');
      // NORMAL is crash-safe in WAL mode (a killed process never corrupts the file); only
      // the last commits may be lost on power failure.
      sqlite.pragma('synchronous = NORMAL');
    }
    sqlite.pragma('foreign_keys = ON');
    // A read-only connection never writes: its transactions must not hold the writers up.
    const dialect = opts.readonly ? new SqliteDialect({ database: sqlite }) : new WriteLockingSqliteDialect({ database: sqlite });
    const db = new Kysely<Database>({ dialect });
    const applied = opts.readonly ? [] : await migrateToLatest(db);
    return new SqliteStore(file, sqlite, db, applied);
  } catch (err) {
    sqlite.close();
    throw err;
  }
}
