import { EntityIds, insertSql, ROWS_PER_STATEMENT } from './entity-ids.js';
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
