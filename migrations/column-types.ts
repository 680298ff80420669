import { PostgresAdapter, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

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
}

/** The column types for the dialect `db` speaks. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take kysely's untyped Kysely<any>
export function columnTypesOf(db: Kysely<any>): ColumnTypes {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return {
    postgres,
    rowId: postgres ? (c) => c.primaryKey().generatedByDefaultAsIdentity() : (c) => c.primaryKey(),
    time: postgres ? 'bigint' : 'integer',
    float: postgres ? 'double precision' : 'real',
  };
}
