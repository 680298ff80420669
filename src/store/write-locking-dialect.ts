import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

/**
 * kysely's driver opens every transaction with a plain (deferred) `begin`: its first read takes
 * a snapshot and its first write must then upgrade to the write lock. When another connection
 * (a server storing `POST /v1/interactions`) holds that lock or has committed since the
 * snapshot, the upgrade fails at once with SQLITE_BUSY: SQLite never runs the busy handler for
 * an upgrade, so the busy timeout cannot help. `begin immediate` takes the write lock first,
 * where the busy timeout does wait, and the reads that follow see what the writer committed.
 */
class WriteLockingSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * The dialect of a writable store: every `db.transaction()` (and the migrator's) starts with the
 * write lock, so that no caller can open a read-then-write transaction that fails under load.
 */
export class WriteLockingSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new WriteLockingSqliteDriver(this.#config);
  }
}
