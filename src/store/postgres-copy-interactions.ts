import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RejectedRow } from './batches.js';
import type { ClosingStatement } from './interaction-writer-types.js';
import { postgresText } from './postgres-text.js';
import { advisoryKeySql, ENTITIES_LOCK } from './postgres-xact-lock.js';

/** Buffered interactions: users, items and events as indexes into the writer's dictionaries. */
export interface PendingRows {
  readonly count: number;
  readonly user: readonly number[];
  readonly item: readonly number[];
  readonly ts: readonly number[];
  readonly event: readonly number[];
  readonly weight: readonly number[];
}

/** One commit of the PostgreSQL interaction writer. */
export interface CopyJob {
  readonly batchId: number;
  readonly dict: { readonly users: readonly string[]; readonly items: readonly string[]; readonly events: readonly string[] };
  readonly rows: PendingRows;
  readonly rejects: readonly RejectedRow[];
  /** Go straight to the deduplicating path (an earlier commit of the batch met rows already stored). */
  readonly dedupe: boolean;
  /** Ids the writer's earlier commits resolved, valid while no batch has been undone since. */
  readonly known: ResolvedIds;
  /** Run last in the transaction, given this commit's inserted rows. */
  readonly closing?: ClosingStatement;
}

/**
 * Internal ids by dictionary index (0 = not resolved; ids start at 1), and the count of undone
 * batches when they were read: users and items are only ever deleted by undoing a batch
 * (`rollbackBatch`), so while that count stands, every id here still exists.
 */
export interface ResolvedIds {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly undoneBatches: number;
}

/** A value as a field of COPY's text format: backslash, tab, newline and carriage return escaped. */
export function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] ?? c) : value;
}

const COLUMNS = '(user_id, item_id, ts, event, weight, batch_id)';
const UNIQUE_VIOLATION = '23505';

/**
 * Writes one commit's interactions in one transaction, holding the entities lock shared (no
 * rollback deletes a user or item meanwhile): unknown users and items are created (tagged with
 * the batch, ids in order of first appearance, as on SQLite), then the rows are streamed with
 * `COPY … FROM STDIN` straight into `interactions`. When some are already stored (a re-run, a
 * resumed batch, a row twice in the input), that COPY fails on the dedupe key and is undone to a
 * savepoint, and the rows go through a staging table and `INSERT … ON CONFLICT DO NOTHING`.
 * Returns the rows inserted and whether duplicates were met.
 */
export async function copyInteractions(pool: pg.Pool, job: CopyJob): Promise<{ inserted: number; metDuplicates: boolean; known: ResolvedIds }> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`select pg_advisory_xact_lock_shared(${advisoryKeySql(ENTITIES_LOCK)})`);
    const now = Math.floor(Date.now() / 1000);
    const undone = await client.query<{ n: number }>(`select count(*)::integer as n from ingest_batches where status in ('rolled_back', 'failed')`);
    const undoneBatches = undone.rows[0].n;
    const stillValid = undoneBatches === job.known.undoneBatches;
    const known = (ids: Int32Array, n: number): Int32Array => grown(stillValid ? ids : new Int32Array(0), n);
    const spec = { batchId: job.batchId, now };
    const userIds = await resolveIds(client, 'users', {
      ...spec,
      dict: job.dict.users,
      used: job.rows.user,
      ids: known(job.known.users, job.dict.users.length),
    });
    const itemIds = await resolveIds(client, 'items', {
      ...spec,
      dict: job.dict.items,
      used: job.rows.item,
      ids: known(job.known.items, job.dict.items.length),
    });
    const lines = (): Generator<string> => copyLines(job, userIds, itemIds);
    let inserted = job.dedupe ? -1 : await copyUnlessDuplicates(client, lines);
    const metDuplicates = inserted < 0;
    if (metDuplicates) inserted = await copyDeduplicated(client, lines);
    if (job.rejects.length > 0) await insertRejects(client, job.batchId, job.rejects);
    if (job.closing !== undefined) {
      const q = job.closing(inserted);
      await client.query(q.sql, q.parameters as unknown[]);
    }
    await client.query('commit');
    return { inserted, metDuplicates, known: { users: userIds, items: itemIds, undoneBatches } };
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** A copy of `ids` of length `n` (the dictionary grew since). */
function grown(ids: Int32Array, n: number): Int32Array {
  const out = new Int32Array(n);
  out.set(ids.subarray(0, Math.min(n, ids.length)));
  return out;
}

/**
 * Fills `ids` (by dictionary index) for the entries `used` refers to that it does not hold yet,
 * creating the entities that do not exist, in one statement; returns `ids`.
 */
async function resolveIds(
  client: pg.PoolClient,
  table: 'users' | 'items',
  job: { readonly dict: readonly string[]; readonly used: readonly number[]; readonly ids: Int32Array; readonly batchId: number; readonly now: number },
): Promise<Int32Array> {
  const { dict, used, ids } = job;
  const wanted: string[] = [];
  const asked = new Uint8Array(dict.length);
  for (const k of used) {
    if (ids[k] !== 0 || asked[k] === 1) continue;
    asked[k] = 1;
    wanted.push(dict[k]);
  }
  if (wanted.length === 0) return ids;
  const { rows } = await client.query<{ id: number; external_id: string }>(
    `with wanted as (select e, o from unnest($1::text[]) with ordinality as t(e, o)),
     created as (
       insert into ${table} (external_id, batch_id, created_at)
       select w.e, $2::integer, $3::bigint from wanted w where not exists (select 1 from ${table} x where x.external_id = w.e) order by w.o
       on conflict (external_id) do nothing returning id, external_id)
     select id, external_id from ${table} where external_id = any($1::text[])
     union all select id, external_id from created`,
    [wanted, job.batchId, job.now],
  );
  const idOf = new Map(rows.map((r) => [r.external_id, r.id]));
  for (let k = 0; k < dict.length; k++) if (asked[k] === 1) ids[k] = idOf.get(dict[k]) ?? 0;
  return ids;
}

/** The rows as COPY text, in writes of about 64 KiB. */
function* copyLines(job: CopyJob, userIds: Int32Array, itemIds: Int32Array): Generator<string> {
  const { rows, batchId } = job;
  const events = job.dict.events.map((e) => copyText(postgresText(e)));
  let buf = '';
  for (let r = 0; r < rows.count; r++) {
    buf += `${userIds[rows.user[r]]}\t${itemIds[rows.item[r]]}\t${rows.ts[r]}\t${events[rows.event[r]]}\t${rows.weight[r]}\t${batchId}\n`;
    if (buf.length >= 1 << 16) {
      yield buf;
      buf = '';
    }
  }
  if (buf !== '') yield buf;
}

async function copyInto(client: pg.PoolClient, target: string, lines: () => Generator<string>): Promise<number> {
  const stream = client.query(copyFrom(`copy ${target} ${COLUMNS} from stdin`));
  await pipeline(Readable.from(lines()), stream);
  return stream.rowCount;
}

/** The rows copied straight into `interactions`; -1 (and nothing written) when one was already stored. */
async function copyUnlessDuplicates(client: pg.PoolClient, lines: () => Generator<string>): Promise<number> {
  await client.query('savepoint direct_copy');
  try {
    return await copyInto(client, 'interactions', lines);
  } catch (err) {
    if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
    await client.query('rollback to savepoint direct_copy');
    return -1;
  }
}

/** The rows copied into a staging table, then inserted with the ones already stored skipped; returns those inserted. */
async function copyDeduplicated(client: pg.PoolClient, lines: () => Generator<string>): Promise<number> {
  await client.query(`create temp table interaction_staging (like interactions including defaults) on commit drop`);
  await copyInto(client, 'interaction_staging', lines);
  const r = await client.query(`insert into interactions ${COLUMNS} select ${COLUMNS.slice(1, -1)} from interaction_staging on conflict do nothing`);
  return r.rowCount ?? 0;
}

async function insertRejects(client: pg.PoolClient, batchId: number, rejects: readonly RejectedRow[]): Promise<void> {
  await client.query(
    `insert into rejected_rows (batch_id, file, line, raw, reason)
     select $1::integer, * from unnest($2::text[], $3::integer[], $4::text[], $5::text[])`,
    [batchId, ...(['file', 'line', 'raw', 'reason'] as const).map((k) => rejects.map((r) => (k === 'line' ? r.line : postgresText(r[k]))))],
  );
}
