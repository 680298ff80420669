import type { TimedItemRef } from '../data/items-in-time.js';
import type { ChangedInteraction } from '../store/index.js';
import type { LoadedHistory } from './loaded-history.js';

/** How a version names its users and items by row (its `VectorsById` and `ModelItems`). */
export interface HistoryRows {
  userRow(id: string): number | undefined;
  itemRow(id: string): number | undefined;
  /** The external id of model item row `row`. */
  itemId(row: number): string;
}

const INITIAL_ROWS = 1024;

/**
 * One version's users' histories, held in memory so that a live user vector reads no
 * interaction from the store: the rows the version loaded (`LoadedHistory`), and the rows added
 * since, appended by the change check, in an overlay keyed by external user id. The overlay
 * holds each row in typed arrays (an item code, a time, and the user's previous overlay row),
 * so a row costs a few bytes however many arrive; an item the model does not know gets a
 * negative code, interned once.
 */
export class LiveHistories {
  private readonly extraItems: string[] = [];
  private readonly extraCodeOf = new Map<string, number>();
  /** The newest overlay row of each user (their rows are a chain through `previous`). */
  private readonly newestOf = new Map<string, number>();
  private item = new Int32Array(INITIAL_ROWS);
  private ts = new Float64Array(INITIAL_ROWS);
  private previous = new Int32Array(INITIAL_ROWS);
  private count = 0;

  constructor(
    private readonly loaded: LoadedHistory,
    private readonly rows: HistoryRows,
  ) {
    const { users, items, ts } = loaded.overlay;
    for (let k = 0; k < users.length; k++) this.appendOne(users[k], items[k], ts[k]);
  }

  /** Number of rows in the overlay. */
  get overlaySize(): number {
    return this.count;
  }

  /** Adds interactions written since (the change check's rows). */
  append(rows: readonly ChangedInteraction[]): void {
    for (const r of rows) this.appendOne(r.user, r.item, r.ts);
  }

  /** Every interaction of `userId` with an item not deleted, loaded and added since, in no particular order (`itemsInTime` orders them). */
  historyOf(userId: string, isDeleted: (itemId: string) => boolean): TimedItemRef[] {
    const out: TimedItemRef[] = [];
    const keep = (item: string, ts: number): void => {
      if (!isDeleted(item)) out.push({ item, ts });
    };
    const u = this.rows.userRow(userId);
    const { offsets, itemRows, ts } = this.loaded;
    // A user added to the model's rows after this version was trained has none here.
    if (u !== undefined && u + 1 < offsets.length) {
      for (let k = offsets[u]; k < offsets[u + 1]; k++) keep(this.rows.itemId(itemRows[k]), ts[k]);
    }
    const added: number[] = [];
    for (let r = this.newestOf.get(userId) ?? -1; r >= 0; r = this.previous[r]) added.push(r);
    for (let j = added.length - 1; j >= 0; j--) keep(this.itemIdOf(this.item[added[j]]), this.ts[added[j]]);
    return out;
  }

  private appendOne(user: string, item: string, ts: number): void {
    if (this.count === this.item.length) this.grow();
    const r = this.count++;
    this.item[r] = this.codeOf(item);
    this.ts[r] = ts;
    this.previous[r] = this.newestOf.get(user) ?? -1;
    this.newestOf.set(user, r);
  }

  /** Model item row r is code r; any other item is code −(k + 1), k its place in `extraItems`. */
  private codeOf(item: string): number {
    const row = this.rows.itemRow(item);
    if (row !== undefined) return row;
    let code = this.extraCodeOf.get(item);
    if (code === undefined) {
      code = -(this.extraItems.push(item) - 1) - 1;
      this.extraCodeOf.set(item, code);
    }
    return code;
  }

  private itemIdOf(code: number): string {
    return code >= 0 ? this.rows.itemId(code) : this.extraItems[-code - 1];
  }

  private grow(): void {
    const size = this.item.length * 2;
    const item = new Int32Array(size);
    const ts = new Float64Array(size);
    const previous = new Int32Array(size);
    item.set(this.item);
    ts.set(this.ts);
    previous.set(this.previous);
    [this.item, this.ts, this.previous] = [item, ts, previous];
  }
}
