import type BetterSqlite3 from 'better-sqlite3';
import { sqliteOf, type Store } from './store.js';
import type { RejectedRow } from './batches.js';

/**
 * The ingest hot path: inserts already-validated interactions of one batch through prepared
 * multi-row statements, inside a transaction that the caller commits every chunk. External
 * ids are resolved through in-memory maps (preloaded), and unknown users/items are created
 * with empty features, tagged with the batch so that a rollback can remove them again.
 */
export interface InteractionWriter {
  /** Queues one row for insertion (rows already stored are ignored; see `inserted`). */
  add(user: string, item: string, ts: number, event: string, weight: number): void;
  /** Records a rejected row in the same transaction as the rows around it. */
  reject(row: RejectedRow): void;
  /** Commits everything added since the last commit (a no-op when nothing is pending). */
  commit(): void;
  /** Rolls back what is pending and forgets ids created in it. */
  abort(): void;
  /** Rows actually inserted (added minus duplicates); rows still buffered count after the next commit(). */
  readonly inserted: number;
}

/** Rows per multi-row INSERT: fewer native calls per row, well under SQLite's 32766 variables. */
const ROWS_PER_STATEMENT = 128;
const COLS = 6;

/**
 * Opens a writer for `batchId`; rows are stored with that batch id. `bulk` (default true)
 * mirrors every user and item id in memory, for file ingest; small API writes pass false and
 * look ids up one by one. Foreign-key enforcement is switched off for the writer's own transactions only (it costs two index probes per row),
 * because every user_id/item_id it writes comes from its own id maps, refreshed at the start
 * of each of its write transactions; `integrityCheck` (`foreign_key_check`) verifies it in
 * the tests, including after a kill -9.
 */
export function openInteractionWriter(store: Store, batchId: number, opts: { readonly bulk?: boolean } = {}): InteractionWriter {
  const { sqlite } = sqliteOf(store);
  const now = Math.floor(Date.now() / 1000);
  const bulk = opts.bulk ?? true;
  const users = new EntityIds(sqlite, 'users', batchId, now, bulk);
  const items = new EntityIds(sqlite, 'items', batchId, now, bulk);
  const insertMany = sqlite.prepare(insertSql('interactions (user_id, item_id, ts, event, weight, batch_id)', COLS, ROWS_PER_STATEMENT, true));
  const insertOne = sqlite.prepare(insertSql('interactions (user_id, item_id, ts, event, weight, batch_id)', COLS, 1, true));
  const insertReject = sqlite.prepare('insert into rejected_rows (batch_id, file, line, raw, reason) values (?, ?, ?, ?, ?)');
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
  const flush = (): void => {
    users.flush();
    items.flush();
    for (let r = 0; r < buffered; r++) {
      const o = r * COLS;
      pending += insertOne.run(buf[o], buf[o + 1], buf[o + 2], buf[o + 3], buf[o + 4], buf[o + 5]).changes;
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
      buf[o + 5] = batchId;
      if (++buffered === ROWS_PER_STATEMENT) {
        users.flush();
        items.flush();
        pending += insertMany.run(buf).changes;
        buffered = 0;
      }
    },
    reject(row) {
      begin();
      insertReject.run(batchId, row.file, row.line, row.raw, row.reason);
    },
    commit() {
      if (!open) return;
      flush();
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

function insertSql(target: string, cols: number, rows: number, ignore: boolean): string {
  const tuple = `(${Array.from({ length: cols }, () => '?').join(', ')})`;
  return `insert ${ignore ? 'or ignore ' : ''}into ${target} values ${Array.from({ length: rows }, () => tuple).join(', ')}`;
}

/**
 * External id → internal id for one entity table. In bulk mode (file ingest) the map mirrors
 * the whole table, so a miss means "new": the entity gets the next id at once and is inserted
 * in multi-row statements. That is safe because ids are only handed out inside the writer's own
 * write transaction (which excludes every other writer), after `refresh` has picked up what
 * other writers created, or reloaded everything if some entity was deleted (a rolled-back
 * batch removes the entities it created). In lookup mode (small API writes) nothing is
 * preloaded and each unseen id is looked up or inserted on its own.
 */
class EntityIds {
  private readonly ids = new Map<string, number>();
  private maxId = 0;
  private committedMaxId = 0;
  private pending: string[] = [];
  private readonly buf: (number | string)[] = [];
  private readonly since: BetterSqlite3.Statement;
  private readonly count: BetterSqlite3.Statement;
  private readonly find: BetterSqlite3.Statement;
  private readonly create: BetterSqlite3.Statement;
  private readonly insertMany: BetterSqlite3.Statement;
  private readonly insertOne: BetterSqlite3.Statement;

  constructor(
    sqlite: BetterSqlite3.Database,
    table: 'users' | 'items',
    private readonly batchId: number,
    private readonly now: number,
    private readonly bulk: boolean,
  ) {
    this.since = sqlite.prepare(`select external_id, id from ${table} where id > ? order by id`).raw();
    this.count = sqlite.prepare(`select count(*) from ${table}`).pluck();
    this.find = sqlite.prepare(`select id from ${table} where external_id = ?`).pluck();
    this.create = sqlite.prepare(`insert into ${table} (external_id, batch_id, created_at) values (?, ?, ?)`);
    this.insertMany = sqlite.prepare(insertSql(`${table} (id, external_id, batch_id, created_at)`, 4, ROWS_PER_STATEMENT, false));
    this.insertOne = sqlite.prepare(insertSql(`${table} (id, external_id, batch_id, created_at)`, 4, 1, false));
  }

  /** Catches up with other writers. Call first thing inside each write transaction. */
  refresh(): void {
    if (!this.bulk) return;
    for (const [ext, id] of this.since.iterate(this.committedMaxId) as IterableIterator<[string, number]>) {
      this.ids.set(ext, id);
      this.committedMaxId = id;
    }
    if ((this.count.get() as number) !== this.ids.size) {
      this.ids.clear();
      this.committedMaxId = 0;
      this.refresh();
    }
    this.maxId = this.committedMaxId;
  }

  idOf(externalId: string): number {
    const known = this.ids.get(externalId);
    if (known !== undefined) return known;
    let id: number;
    if (this.bulk) {
      id = ++this.maxId;
      this.buf.push(id, externalId, this.batchId, this.now);
      if (this.buf.length === ROWS_PER_STATEMENT * 4) this.flush();
      this.pending.push(externalId);
    } else {
      const found = this.find.get(externalId) as number | undefined;
      if (found !== undefined) id = found;
      else {
        id = Number(this.create.run(externalId, this.batchId, this.now).lastInsertRowid);
        this.pending.push(externalId);
      }
    }
    this.ids.set(externalId, id);
    return id;
  }

  /** Inserts the buffered new entities. */
  flush(): void {
    if (this.buf.length === ROWS_PER_STATEMENT * 4) this.insertMany.run(this.buf);
    else for (let k = 0; k < this.buf.length; k += 4) this.insertOne.run(this.buf[k], this.buf[k + 1], this.buf[k + 2], this.buf[k + 3]);
    this.buf.length = 0;
  }

  /** The transaction that created the pending ids committed: they are now safe to reuse. */
  settle(): void {
    this.pending = [];
    this.committedMaxId = Math.max(this.committedMaxId, this.maxId);
  }

  /** The transaction rolled back: ids created in it no longer exist. */
  forgetPending(): void {
    for (const ext of this.pending) this.ids.delete(ext);
    this.pending = [];
    this.buf.length = 0;
    this.maxId = this.committedMaxId;
  }
}

/** A validated interaction as the store takes it. */
export interface InteractionRecord {
  readonly user: string;
  readonly item: string;
  readonly ts: number;
  readonly event: string;
  readonly weight: number;
}

/** Counts of one {@link writeInteractionBatch} call. */
export interface WriteBatchResult {
  readonly batchId: number;
  readonly inserted: number;
  readonly duplicates: number;
}

/**
 * Stores a small set of already-validated interactions (an API write) as one complete batch,
 * synchronously, so concurrent requests in one process never interleave. `rejects` (rows the
 * caller refused) are recorded under the batch too.
 */
export function writeInteractionBatch(
  store: Store,
  source: string,
  rows: readonly InteractionRecord[],
  rejects: readonly RejectedRow[],
): WriteBatchResult {
  const { sqlite } = sqliteOf(store);
  const now = Math.floor(Date.now() / 1000);
  const batchId = Number(
    sqlite
      .prepare("insert into ingest_batches (kind, source, format, status, started_at) values ('interactions', ?, 'api', 'running', ?)")
      .run(source, now).lastInsertRowid,
  );
  const writer = openInteractionWriter(store, batchId, { bulk: false });
  let inserted = 0;
  try {
    for (const r of rows) writer.add(r.user, r.item, r.ts, r.event, r.weight);
    for (const r of rejects) writer.reject(r);
    writer.commit();
    inserted = writer.inserted;
  } catch (err) {
    writer.abort();
    sqlite.prepare("update ingest_batches set status = 'failed', finished_at = ?, error = ? where id = ?").run(now, String(err), batchId);
    throw err;
  }
  sqlite
    .prepare(
      `update ingest_batches set status = 'complete', rows_read = ?, rows_inserted = ?, duplicates = ?, rejected = ?,
       finished_at = ? where id = ?`,
    )
    .run(rows.length + rejects.length, inserted, rows.length - inserted, rejects.length, now, batchId);
  return { batchId, inserted, duplicates: rows.length - inserted };
}
