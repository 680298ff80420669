import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './database.js';
import { migrateToLatest } from './migrate.js';
import { WriteLockingSqliteDialect } from './write-locking-dialect.js';

/**
 * An open contrarec database. The stages above the store only hold it and pass it to the
 * functions exported from `src/store/index.ts`; the SQL connection stays inside `src/store`.
 */
export interface Store {
  /** Absolute path of the SQLite file. */
  readonly path: string;
  /** Migrations applied when this store was opened (empty when the file was up to date). */
  readonly appliedMigrations: readonly string[];
  /** Closes the connection; the store must not be used afterwards. */
  close(): void;
}

/** Options for {@link openStore}. */
export interface OpenStoreOptions {
  /** Open read-only and skip migrations (the file must exist and be migrated). */
  readonly readonly?: boolean;
  /** How long a writer waits for another writer's lock, in ms (default 5000). */
  readonly busyTimeoutMs?: number;
}

/** The concrete store: a kysely handle and the raw connection for the ingest hot path. */
export class SqliteStore implements Store {
  constructor(
    readonly path: string,
    readonly sqlite: BetterSqlite3.Database,
    readonly db: Kysely<Database>,
    readonly appliedMigrations: readonly string[],
  ) {}

  close(): void {
    if (this.sqlite.open) this.sqlite.close();
  }
}

/** Recovers the concrete store from the opaque handle the upper stages hold. */
export function sqliteOf(store: Store): SqliteStore {
  if (!(store instanceof SqliteStore)) throw new TypeError('not a store opened by openStore()');
  return store;
}

/**
 * Opens (creating the file and its directory if needed) and migrates a contrarec database,
 * in WAL mode with foreign keys on and a busy timeout, so that the server can read while an
 * ingest writes.
 *
 * @example
 *   const store = await openStore(resolveDbPath(opts.db));
 *   try { ... } finally { store.close(); }
 */
export async function openStore(dbPath: string, opts: OpenStoreOptions = {}): Promise<Store> {
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
