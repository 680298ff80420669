import type BetterSqlite3 from 'better-sqlite3';
import type { RejectedRow } from './batches.js';
import { EntityIds, ROWS_PER_STATEMENT } from './entity-ids.js';
import type { ClosingStatement, EncodedInteractions, InteractionWriter } from './interaction-writer-types.js';

/** The SQLite writer's own, synchronous face of {@link InteractionWriter}: the same methods, returning at once. */
export interface SqliteInteractionWriter {
  add(user: string, item: string, ts: number, event: string, weight: number): void;
  extendDictionaries(users: readonly string[], items: readonly string[], events: readonly string[]): void;
  addEncoded(rows: EncodedInteractions, start: number, end: number): void;
  reject(row: RejectedRow): void;
  commit(closing?: ClosingStatement): void;
  abort(): void;
  readonly inserted: number;
}

const COLS = 5;

/**
 * INSERT of `rows` interactions with the batch id written into the SQL rather than bound:
 * one bound value fewer per row on the hot path (the statement is prepared per writer).
 */
function insertInteractionsSql(rows: number, batchId: number): string {
  if (!Number.isSafeInteger(batchId)) throw new TypeError(`bad batch id ${batchId}`);
  const tuple = `(?, ?, ?, ?, ?, ${batchId})`;
  return `insert or ignore into interactions (user_id, item_id, ts, event, weight, batch_id) values ${Array.from({ length: rows }, () => tuple).join(', ')}`;
}

/**
 * SQLite's fast path of {@link InteractionWriter}: prepared multi-row statements inside a
 * transaction that the caller commits every chunk, with external ids resolved through
 * in-memory maps (preloaded) and unknown users/items created with empty features, tagged with
 * the batch so that a rollback can remove them again. Opens a writer for `batchId`; rows are
 * stored with that batch id. `bulk` (default true)
 * mirrors every user and item id in memory, for file ingest; small API writes pass false and
 * look ids up one by one. Foreign-key enforcement is switched off for the writer's own transactions only (it costs two index probes per row),
 * because every user_id/item_id it writes comes from its own id maps, refreshed at the start
 * of each of its write transactions; `integrityCheck` (`foreign_key_check`) verifies it in
 * the tests, including after a kill -9.
 */
// eslint-disable-next-line max-lines-per-function -- a closure over the prepared statements and the batch's counters; each method it returns is short
export function openSqliteInteractionWriter(sqlite: BetterSqlite3.Database, batchId: number, opts: { readonly bulk?: boolean } = {}): SqliteInteractionWriter {
  const now = Math.floor(Date.now() / 1000);
  const bulk = opts.bulk ?? true;
  const users = new EntityIds(sqlite, 'users', batchId, now, bulk);
  const items = new EntityIds(sqlite, 'items', batchId, now, bulk);
  const insertMany = sqlite.prepare(insertInteractionsSql(ROWS_PER_STATEMENT, batchId));
  const insertOne = sqlite.prepare(insertInteractionsSql(1, batchId));
  const insertReject = sqlite.prepare('insert into rejected_rows (batch_id, file, line, raw, reason) values (?, ?, ?, ?, ?)');
  if (bulk) {
    // A 16 MiB page cache (default 2 MiB) keeps the hot B-tree pages of a large batch in
    // memory: a fixed bound, so memory stays flat in file size. Temp B-trees stay in RAM.
    sqlite.pragma('cache_size = -16384');
    sqlite.pragma('temp_store = MEMORY');
    // Checkpoint every ~40 MiB of WAL instead of every 4 MiB: fewer fsyncs of the main file,
    // and pages rewritten by consecutive commits are copied back once. Crash safety is
    // unchanged (the WAL is the journal); the WAL file just grows larger before it resets.
    sqlite.pragma('wal_autocheckpoint = 10000');
  }
  const dict = { users: [] as string[], items: [] as string[], events: [] as string[] };
  // dictionary index → internal id, 0 = not resolved yet (internal ids start at 1).
  let userIds = new Int32Array(1024);
  let itemIds = new Int32Array(1024);
  let generation = -1;
  const buf: (number | string)[] = new Array(ROWS_PER_STATEMENT * COLS);
  let buffered = 0;
  let committed = 0;
  let pending = 0;
  let open = false;
  const begin = (): void => {
    if (!open) {
      sqlite.pragma('foreign_keys = OFF');
      sqlite.exec('begin immediate');
      open = true;
      users.refresh();
      items.refresh();
    }
  };
  const grow = (ids: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> => {
    if (n <= ids.length) return ids;
    const next = new Int32Array(Math.max(n, ids.length * 2));
    next.set(ids);
    return next;
  };
  const insertBuffered = (): void => {
    users.flush();
    items.flush();
    pending += insertMany.run(buf).changes;
    buffered = 0;
  };
  const flush = (): void => {
    users.flush();
    items.flush();
    for (let r = 0; r < buffered; r++) {
      const o = r * COLS;
      pending += insertOne.run(buf[o], buf[o + 1], buf[o + 2], buf[o + 3], buf[o + 4]).changes;
    }
    buffered = 0;
  };
  const end = (verb: 'commit' | 'rollback'): void => {
    sqlite.exec(verb);
    sqlite.pragma('foreign_keys = ON');
    open = false;
  };
  return {
    add(user, item, ts, event, weight) {
      begin();
      const o = buffered * COLS;
      buf[o] = users.idOf(user);
      buf[o + 1] = items.idOf(item);
      buf[o + 2] = ts;
      buf[o + 3] = event;
      buf[o + 4] = weight;
      if (++buffered === ROWS_PER_STATEMENT) insertBuffered();
    },
    extendDictionaries(newUsers, newItems, newEvents) {
      for (const u of newUsers) dict.users.push(u);
      for (const i of newItems) dict.items.push(i);
      for (const e of newEvents) dict.events.push(e);
      userIds = grow(userIds, dict.users.length);
      itemIds = grow(itemIds, dict.items.length);
    },
    addEncoded(rows, start, end) {
      begin();
      const g = users.generation + items.generation;
      if (g !== generation) {
        userIds.fill(0);
        itemIds.fill(0);
        generation = g;
      }
      const { user, item, event, ts, weight } = rows;
      for (let r = start; r < end; r++) {
        const u = user[r];
        const i = item[r];
        const o = buffered * COLS;
        buf[o] = userIds[u] || (userIds[u] = users.idOf(dict.users[u]));
        buf[o + 1] = itemIds[i] || (itemIds[i] = items.idOf(dict.items[i]));
        buf[o + 2] = ts[r];
        buf[o + 3] = dict.events[event[r]];
        buf[o + 4] = weight[r];
        if (++buffered === ROWS_PER_STATEMENT) insertBuffered();
      }
    },
    reject(row) {
      begin();
      insertReject.run(batchId, row.file, row.line, row.raw, row.reason);
    },
    commit(closing) {
      if (!open) return;
      flush();
      if (closing !== undefined) {
        const q = closing(committed + pending);
        sqlite.prepare(q.sql).run(...q.parameters);
      }
      end('commit');
      committed += pending;
      pending = 0;
      users.settle();
      items.settle();
    },
    abort() {
      buffered = 0;
      pending = 0;
      users.forgetPending();
      items.forgetPending();
      if (open) end('rollback');
    },
    get inserted() {
      return committed + pending;
    },
  };
}

/** The SQLite writer behind the dialect-neutral, promise-returning {@link InteractionWriter}. */
export function asyncInteractionWriter(writer: SqliteInteractionWriter): InteractionWriter {
  return {
    add: async (user, item, ts, event, weight) => writer.add(user, item, ts, event, weight),
    extendDictionaries: (users, items, events) => writer.extendDictionaries(users, items, events),
    addEncoded: async (rows, start, end) => writer.addEncoded(rows, start, end),
    reject: async (row) => writer.reject(row),
    commit: async (closing) => writer.commit(closing),
    abort: async () => writer.abort(),
    get inserted() {
      return writer.inserted;
    },
  };
}
