import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { RawInteractionsBuilder, type RawInteractions } from './raw-interactions.js';
import { dialectOf, kyselyOf, type Store } from './store.js';

export type { RawInteractions } from './raw-interactions.js';

/**
 * Reads every interaction with `ts < until` (and, given `throughBatch`, written by no batch after
 * it: the rows a change watermark has already covered) in one pass over the primary key (already in
 * (ts, user, item) order, so no sort), into growable typed arrays. Untimed interactions are
 * stored under the untimed key, the smallest: they come first, are always before `until`, and
 * their ts is given as NaN. The rows stream through each dialect's fast path: SQLite's raw
 * statement iterator, PostgreSQL's `COPY … TO STDOUT`.
 */
export async function scanInteractions(store: Store, until: number = Number.MAX_SAFE_INTEGER, throughBatch?: number): Promise<RawInteractions> {
  if (!Number.isFinite(until)) throw new RangeError(`scanInteractions: until must be finite, got ${until}`);
  if (throughBatch !== undefined && !Number.isSafeInteger(throughBatch))
    throw new RangeError(`scanInteractions: throughBatch must be an integer, got ${throughBatch}`);
  const db = kyselyOf(store);
  const maxId = async (table: 'users' | 'items'): Promise<number> =>
    Number((await sql<{ m: number }>`select coalesce(max(id), 0) as m from ${sql.table(table)}`.execute(db)).rows[0].m);
  const maxUserId = await maxId('users');
  const maxItemId = await maxId('items');
  const deleted = new Uint8Array(maxItemId + 1);
  for (const { id } of await db.selectFrom('items').select('id').where('deleted_at', 'is not', null).execute()) deleted[id] = 1;
  // Every row, an upper bound on those the scan keeps (a count over the smallest index, cheap beside the scan).
  const total = Number(
    (
      await db
        .selectFrom('interactions')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const rows = new RawInteractionsBuilder(deleted, maxUserId, maxItemId, total);
  const concrete = dialectOf(store);
  const where = `ts < ${Math.ceil(until)}${throughBatch === undefined ? '' : ` and (batch_id is null or batch_id <= ${throughBatch})`}`;
  if (concrete.dialect === 'sqlite') scanSqlite(concrete.sqlite, where, rows);
  else await scanPostgres(concrete.pool, where, rows);
  return rows.build();
}

function scanSqlite(sqlite: BetterSqlite3.Database, where: string, rows: RawInteractionsBuilder): void {
  const it = sqlite
    .prepare(`select user_id, item_id, ts, weight from interactions where ${where} order by ts, user_id, item_id`)
    .raw()
    .iterate() as IterableIterator<[number, number, number, number]>;
  for (const [u, i, t, w] of it) rows.push(u, i, t, w);
}

/** PostgreSQL's version: the rows as COPY text, parsed line by line as they arrive (no row objects). */
async function scanPostgres(pool: pg.Pool, where: string, rows: RawInteractionsBuilder): Promise<void> {
  const client = await pool.connect();
  try {
    const stream = client.query(copyTo(`copy (select user_id, item_id, ts, weight from interactions where ${where} order by ts, user_id, item_id) to stdout`));
    let rest = '';
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = rest + chunk.toString('utf8');
      const end = text.lastIndexOf('\n');
      if (end < 0) {
        rest = text;
        continue;
      }
      for (const line of text.slice(0, end).split('\n')) {
        const [u, i, t, w] = line.split('\t');
        rows.push(Number(u), Number(i), Number(t), Number(w));
      }
      rest = text.slice(end + 1);
    }
  } finally {
    client.release();
  }
}
