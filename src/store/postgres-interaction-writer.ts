import type pg from 'pg';
import type { RejectedRow } from './batches.js';
import type { InteractionWriter } from './interaction-writer-types.js';
import { copyInteractions, type PendingRows, type ResolvedIds } from './postgres-copy-interactions.js';

/**
 * PostgreSQL's fast path of {@link InteractionWriter}: rows are buffered (as indexes into the
 * writer's dictionaries of external ids) and written at each commit in one transaction by
 * {@link copyInteractions}, through `COPY … FROM STDIN`. Nothing is sent before commit, so abort
 * only drops the buffers.
 */
export function openPostgresInteractionWriter(pool: pg.Pool, batchId: number): InteractionWriter {
  const dict = { users: [] as string[], items: [] as string[], events: [] as string[] };
  const index = { users: new Map<string, number>(), items: new Map<string, number>(), events: new Map<string, number>() };
  let pending = emptyRows();
  let rejects: RejectedRow[] = [];
  let committed = 0;
  /** Set once a commit met rows already stored: later commits of the batch go straight to the deduplicating path. */
  let metDuplicates = false;
  let known: ResolvedIds = { users: new Int32Array(0), items: new Int32Array(0), undoneBatches: -1 };
  const indexOf = (kind: 'users' | 'items' | 'events', value: string): number => {
    let k = index[kind].get(value);
    if (k === undefined) {
      k = dict[kind].push(value) - 1;
      index[kind].set(value, k);
    }
    return k;
  };
  return {
    async add(user, item, ts, event, weight) {
      pending.push(indexOf('users', user), indexOf('items', item), ts, indexOf('events', event), weight);
    },
    extendDictionaries(users, items, events) {
      // Encoded rows index these entries by position, so they are appended as given.
      for (const [kind, values] of [
        ['users', users],
        ['items', items],
        ['events', events],
      ] as const) {
        for (const v of values) index[kind].set(v, dict[kind].push(v) - 1);
      }
    },
    async addEncoded(rows, start, end) {
      for (let r = start; r < end; r++) pending.push(rows.user[r], rows.item[r], rows.ts[r], rows.event[r], rows.weight[r]);
    },
    async reject(row) {
      rejects.push(row);
    },
    async commit(closing) {
      if (pending.count === 0 && rejects.length === 0 && closing === undefined) return;
      const last = closing && ((inserted: number) => closing(committed + inserted));
      const written = await copyInteractions(pool, { batchId, dict, rows: pending, rejects, dedupe: metDuplicates, known, closing: last });
      committed += written.inserted;
      known = written.known;
      metDuplicates ||= written.metDuplicates;
      pending = emptyRows();
      rejects = [];
    },
    async abort() {
      pending = emptyRows();
      rejects = [];
    },
    get inserted() {
      return committed;
    },
  };
}

/** A growing buffer of rows, as {@link PendingRows} with the push that fills it. */
interface RowBuffer extends PendingRows {
  push(u: number, i: number, t: number, e: number, w: number): void;
}

function emptyRows(): RowBuffer {
  const rows = {
    count: 0,
    user: [] as number[],
    item: [] as number[],
    ts: [] as number[],
    event: [] as number[],
    weight: [] as number[],
    push(u: number, i: number, t: number, e: number, w: number): void {
      rows.user.push(u);
      rows.item.push(i);
      rows.ts.push(t);
      rows.event.push(e);
      rows.weight.push(w);
      rows.count++;
    },
  };
  return rows;
}
