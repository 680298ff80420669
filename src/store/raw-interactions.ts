import { UNTIMED_TS } from './untimed.js';

/** Interactions as internal ids, in (ts, user, item) order, with deleted items already left out. */
export interface RawInteractions {
  readonly n: number;
  /** Internal user ids (users.id). */
  readonly userId: Int32Array;
  /** Internal item ids (items.id). */
  readonly itemId: Int32Array;
  /** Unix seconds; NaN for an untimed interaction (these come first). */
  readonly ts: Float64Array;
  readonly weight: Float32Array;
  /** Largest users.id / items.id in the tables, for dense lookup arrays. */
  readonly maxUserId: number;
  readonly maxItemId: number;
}

/**
 * Collects scanned rows into growable typed arrays, leaving out the rows of deleted items
 * (filtered against a flag array rather than by a join, which would cost an index probe per
 * row) and turning the untimed key into NaN, so that no caller mistakes it for a time. The
 * largest ids are those read before the scan or met in it, whichever is larger: a write that
 * commits between the two reads must not leave ids beyond the callers' lookup arrays.
 *
 * `expectedRows`, the table's row count read before the scan, sizes the arrays at once: grown
 * by doubling, a scan of 20M rows would hold arrays for up to twice as many, and the old and new
 * arrays together while it grows (the server scans the store while the previous version still
 * serves: `npm run bench:scale` reports its peak RSS). Rows beyond it (written meanwhile) still grow them.
 */
export class RawInteractionsBuilder {
  private cap: number;
  private n = 0;
  private userId: Int32Array;
  private itemId: Int32Array;
  private ts: Float64Array;
  private weight: Float32Array;

  constructor(
    private readonly deleted: Uint8Array,
    private maxUserId: number,
    private maxItemId: number,
    expectedRows = 0,
  ) {
    this.cap = Math.max(1 << 16, expectedRows);
    this.userId = new Int32Array(this.cap);
    this.itemId = new Int32Array(this.cap);
    this.ts = new Float64Array(this.cap);
    this.weight = new Float32Array(this.cap);
  }

  /** Rows the arrays hold room for now. */
  get capacity(): number {
    return this.cap;
  }

  push(u: number, it: number, t: number, w: number): void {
    if (this.deleted[it] === 1) return;
    if (this.n === this.cap) this.grow();
    const n = this.n++;
    this.userId[n] = u;
    this.itemId[n] = it;
    this.ts[n] = t === UNTIMED_TS ? NaN : t;
    this.weight[n] = w;
    if (u > this.maxUserId) this.maxUserId = u;
    if (it > this.maxItemId) this.maxItemId = it;
  }

  build(): RawInteractions {
    const n = this.n;
    return {
      n,
      userId: this.userId.subarray(0, n),
      itemId: this.itemId.subarray(0, n),
      ts: this.ts.subarray(0, n),
      weight: this.weight.subarray(0, n),
      maxUserId: this.maxUserId,
      maxItemId: this.maxItemId,
    };
  }

  private grow(): void {
    this.cap *= 2;
    const copy = <T extends Int32Array | Float64Array | Float32Array>(from: T, to: T): T => (to.set(from), to);
    this.userId = copy(this.userId, new Int32Array(this.cap));
    this.itemId = copy(this.itemId, new Int32Array(this.cap));
    this.ts = copy(this.ts, new Float64Array(this.cap));
    this.weight = copy(this.weight, new Float32Array(this.cap));
  }
}
