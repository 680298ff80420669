import { sql } from 'kysely';
import { dialectOf, kyselyOf, type Store } from './store.js';

/**
 * The problems found in the database (empty when it is sound); used after crashes and by tests.
 * SQLite runs its `integrity_check` and `foreign_key_check` (the interaction writer writes with
 * foreign keys off); PostgreSQL, which enforces every foreign key on write, has its rows checked
 * for interactions whose user or item is missing.
 */
export async function integrityCheck(store: Store): Promise<string[]> {
  const concrete = dialectOf(store);
  const db = concrete.db;
  if (concrete.dialect === 'postgres') {
    const { rows } = await sql<{ problem: string }>`
      select 'foreign key: interactions row (' || x.ts || ', ' || x.user_id || ', ' || x.item_id || ') → ' ||
        case when u.id is null then 'users' else 'items' end as problem
      from interactions x left join users u on u.id = x.user_id left join items i on i.id = x.item_id
      where u.id is null or i.id is null`.execute(db);
    return rows.map((r) => r.problem);
  }
  const checked = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
  const problems = checked.rows.map((r) => r.integrity_check).filter((s) => s !== 'ok');
  const fk = await sql<{ table: string; rowid: number; parent: string }>`pragma foreign_key_check`.execute(db);
  for (const f of fk.rows) problems.push(`foreign key: ${f.table} row ${f.rowid} → ${f.parent}`);
  return problems;
}

/** Row counts of the main tables (for summaries and tests). */
export async function countRows(store: Store): Promise<Readonly<Record<'users' | 'items' | 'interactions' | 'rejected_rows' | 'ingest_batches', number>>> {
  const db = kyselyOf(store);
  const n = async (t: 'users' | 'items' | 'interactions' | 'rejected_rows' | 'ingest_batches'): Promise<number> =>
    Number(
      (
        await db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    users: await n('users'),
    items: await n('items'),
    interactions: await n('interactions'),
    rejected_rows: await n('rejected_rows'),
    ingest_batches: await n('ingest_batches'),
  };
}
