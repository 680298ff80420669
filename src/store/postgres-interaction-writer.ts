import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RejectedRow } from './batches.js';
import type { InteractionWriter } from './interaction-writer-types.js';

/** A value as a field of COPY's text format: backslash, tab, newline and carriage return escaped. */
export function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] ?? c) : value;
}

// Rows are staged with their external ids and their position in the batch, then resolved to
// internal ids by joins: no id map to keep in step with other writers, and new users and items
// get their ids in order of first appearance, as on SQLite.
const STAGING = `create temp table interaction_staging
  (seq bigint, user_ext text, item_ext text, ts bigint, event text, weight double precision) on commit drop`;
const COPY_STAGING = 'copy interaction_staging (seq, user_ext, item_ext, ts, event, weight) from stdin';
const newEntities = (table: 'users' | 'items', column: 'user_ext' | 'item_ext'): string => `
  insert into ${table} (external_id, batch_id, created_at)
  select s.${column}, $1::integer, $2::bigint from interaction_staging s
  where not exists (select 1 from ${table} e where e.external_id = s.${column})
  group by s.${column} order by min(s.seq)
  on conflict (external_id) do nothing`;
const INSERT_INTERACTIONS = `
  insert into interactions (user_id, item_id, ts, event, weight, batch_id)
  select u.id, i.id, s.ts, s.event, s.weight, $1::integer from interaction_staging s
  join users u on u.external_id = s.user_ext join items i on i.external_id = s.item_ext
  on conflict do nothing`;

/**
 * PostgreSQL's fast path of {@link InteractionWriter}: rows are buffered as COPY text and, at each
 * commit, streamed with `COPY … FROM STDIN` into a temporary staging table, from which one
 * transaction creates the unknown users and items (tagged with the batch), inserts the
 * interactions (those already stored are skipped by the dedupe key) and the rejects. Nothing is
 * sent before commit, so abort only drops the buffers.
 */
export function openPostgresInteractionWriter(pool: pg.Pool, batchId: number): InteractionWriter {
  const dict = { users: [] as string[], items: [] as string[], events: [] as string[] };
  let lines: string[] = [];
  let rejects: RejectedRow[] = [];
  let seq = 0;
  let committed = 0;
  const line = (user: string, item: string, ts: number, event: string, weight: number): string => `${seq++}\t${user}\t${item}\t${ts}\t${event}\t${weight}\n`;
  return {
    async add(user, item, ts, event, weight) {
      lines.push(line(copyText(user), copyText(item), ts, copyText(event), weight));
    },
    extendDictionaries(users, items, events) {
      for (const u of users) dict.users.push(copyText(u));
      for (const i of items) dict.items.push(copyText(i));
      for (const e of events) dict.events.push(copyText(e));
    },
    async addEncoded(rows, start, end) {
      const { user, item, event, ts, weight } = rows;
      for (let r = start; r < end; r++) lines.push(line(dict.users[user[r]], dict.items[item[r]], ts[r], dict.events[event[r]], weight[r]));
    },
    async reject(row) {
      rejects.push(row);
    },
    async commit() {
      if (lines.length === 0 && rejects.length === 0) return;
      committed += await writeStaged(pool, batchId, lines, rejects);
      lines = [];
      rejects = [];
    },
    async abort() {
      lines = [];
      rejects = [];
    },
    get inserted() {
      return committed;
    },
  };
}

/** One transaction: stage `lines` through COPY, resolve and insert them, store `rejects`; returns the rows inserted. */
async function writeStaged(pool: pg.Pool, batchId: number, lines: readonly string[], rejects: readonly RejectedRow[]): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(STAGING);
    await pipeline(Readable.from(textChunks(lines)), client.query(copyFrom(COPY_STAGING)));
    const now = Math.floor(Date.now() / 1000);
    await client.query(newEntities('users', 'user_ext'), [batchId, now]);
    await client.query(newEntities('items', 'item_ext'), [batchId, now]);
    const inserted = (await client.query(INSERT_INTERACTIONS, [batchId])).rowCount ?? 0;
    if (rejects.length > 0) {
      await client.query(
        `insert into rejected_rows (batch_id, file, line, raw, reason)
         select $1::integer, * from unnest($2::text[], $3::integer[], $4::text[], $5::text[])`,
        [batchId, rejects.map((r) => r.file), rejects.map((r) => r.line), rejects.map((r) => r.raw), rejects.map((r) => r.reason)],
      );
    }
    await client.query('commit');
    return inserted;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** The staged lines joined into writes of about 64 KiB, so COPY is fed in few, large pieces. */
function* textChunks(lines: readonly string[]): Generator<string> {
  let buf = '';
  for (const l of lines) {
    buf += l;
    if (buf.length >= 1 << 16) {
      yield buf;
      buf = '';
    }
  }
  if (buf !== '') yield buf;
}
