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
 */
export class RawInteractionsBuilder {
  private cap = 1 << 16;
  private n = 0;
  private userId = new Int32Array(this.cap);
  private itemId = new Int32Array(this.cap);
  private ts = new Float64Array(this.cap);
  private weight = new Float32Array(this.cap);

  constructor(
    private readonly deleted: Uint8Array,
    private maxUserId: number,
    private maxItemId: number,
  ) {}

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
