import type { SeenItems, SeenSet } from './seen-items.js';
import type { SeenRows } from './snapshot-parts.js';

/** How the seen rows name users and items: the version's row of an id, undefined for an id it does not know. */
export interface RowsById {
  row(id: string): number | undefined;
}

/** One user's seen items: a sorted run of item rows, searched by bisection. */
class SeenRun implements SeenSet {
  constructor(
    private readonly items: RowsById,
    private readonly rows: Int32Array,
  ) {}

  get size(): number {
    return this.rows.length;
  }

  has(itemId: string): boolean {
    const row = this.items.row(itemId);
    if (row === undefined) return false;
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rows[mid] < row) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.rows.length && this.rows[lo] === row;
  }
}

/**
 * Seen items by model rows ({@link SeenRows}, built on the worker thread) behind the
 * {@link SeenItems} interface: nothing per user is built when a version loads, and a request
 * looks its user up in the map the user vectors already have.
 */
export class SeenByRow implements SeenItems {
  constructor(
    private readonly users: RowsById,
    private readonly items: RowsById,
    private readonly rows: SeenRows,
  ) {}

  get(userId: string): SeenSet | undefined {
    const u = this.users.row(userId);
    if (u === undefined) return undefined;
    const { offsets, itemRows } = this.rows;
    return offsets[u] === offsets[u + 1] ? undefined : new SeenRun(this.items, itemRows.subarray(offsets[u], offsets[u + 1]));
  }
}
