import { PostgresAdapter, type Kysely } from 'kysely';

/** Whether a kysely handle speaks PostgreSQL: for the migrations and the few writes that must adapt to it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table layout (migrations hold an untyped Kysely<any>): only the adapter is read
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
