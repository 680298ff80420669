import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Database } from './database.js';

/**
 * An open contrarec database. The stages above the store only hold it and pass it to the
 * functions exported from `src/store/index.ts`; the SQL connection stays inside `src/store`.
 */
export interface Store {
  /** Absolute path of the SQLite file, or the PostgreSQL URL without its password. */
  readonly path: string;
  /** Migrations applied when this store was opened (empty when the database was up to date). */
  readonly appliedMigrations: readonly string[];
  /** Closes the connection (a SQLite file at once); the store must not be used afterwards. */
  close(): Promise<void>;
}

/** Options for `openStore`. */
export interface OpenStoreOptions {
  /** Open read-only and skip migrations (the database must exist and be migrated). */
  readonly readonly?: boolean;
  /** How long a writer waits for another writer's lock, in ms (default 5000). */
  readonly busyTimeoutMs?: number;
}

/** A SQLite store: a kysely handle and the raw connection for SQLite's fast paths. */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite';

  constructor(
    readonly path: string,
    readonly sqlite: BetterSqlite3.Database,
    readonly db: Kysely<Database>,
    readonly appliedMigrations: readonly string[],
  ) {}

  async close(): Promise<void> {
    if (this.sqlite.open) this.sqlite.close();
  }
}

/** A PostgreSQL store: a kysely handle over a connection pool, and the pool for PostgreSQL's fast paths (COPY). */
export class PostgresStore implements Store {
  readonly dialect = 'postgres';
  #closed: Promise<void> | undefined;

  constructor(
    readonly path: string,
    readonly pool: pg.Pool,
    readonly db: Kysely<Database>,
    readonly appliedMigrations: readonly string[],
  ) {}

  close(): Promise<void> {
    // kysely's destroy ends the pool; a second close waits for the first.
    this.#closed ??= this.db.destroy();
    return this.#closed;
  }
}

/** Either concrete store: what a function with a fast path per dialect switches on (`store.dialect`). */
export type DialectStore = SqliteStore | PostgresStore;

/** Recovers the concrete store from the opaque handle the upper stages hold. */
export function dialectOf(store: Store): DialectStore {
  if (store instanceof SqliteStore || store instanceof PostgresStore) return store;
  throw new TypeError('not a store opened by openStore()');
}

/** The kysely handle of either dialect: what every query that both dialects share runs on. */
export function kyselyOf(store: Store): Kysely<Database> {
  return dialectOf(store).db;
}

/** The concrete SQLite store; throws for a PostgreSQL one (for SQLite-only code such as the tests' pragmas). */
export function sqliteOf(store: Store): SqliteStore {
  const concrete = dialectOf(store);
  if (concrete instanceof SqliteStore) return concrete;
  throw new TypeError('this needs a SQLite store, not PostgreSQL');
}
