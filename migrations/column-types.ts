import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { isPostgres } from '../src/store/is-postgres.js';

/**
 * What the migrations write differently per dialect, so that each migration stays one list of
 * tables for both. SQLite's types are the ones its files were created with (unchanged); on
 * PostgreSQL an `integer primary key` needs an identity to number new rows as SQLite's rowid
 * does, times need `bigint` (the untimed key is -(2^53 − 1)), and a weight needs a double as
 * SQLite's `real` is.
 */
export interface ColumnTypes {
  readonly postgres: boolean;
  /** A row id numbered by the database. */
  readonly rowId: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  /** Unix seconds (and the untimed key). */
  readonly time: 'integer' | 'bigint';
  /** A floating-point number. */
  readonly float: 'real' | 'double precision';
  /**
   * An interaction's reference to its user, item or batch: a foreign key on SQLite, a plain
   * column on PostgreSQL. There each foreign key is checked by a row trigger that locks the
   * parent row, which costs the COPY ingest most of its time (`npm run bench:ingest-pg`); the
   * writer takes its ids from the parent rows in the same transaction instead, and the only
   * delete of a parent (`rollbackBatch`) excludes every writer (`lockEntities`). SQLite's writer
   * likewise turns foreign keys off for its own transactions.
   */
  readonly interactionReference: (target: string) => (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
}

/** The column types for the dialect `db` speaks. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take kysely's untyped Kysely<any>
export function columnTypesOf(db: Kysely<any>): ColumnTypes {
  const postgres = isPostgres(db);
  return {
    postgres,
    rowId: postgres ? (c) => c.primaryKey().generatedByDefaultAsIdentity() : (c) => c.primaryKey(),
    time: postgres ? 'bigint' : 'integer',
    float: postgres ? 'double precision' : 'real',
    interactionReference: (target) => (postgres ? (c) => c : (c) => c.references(target)),
  };
}
