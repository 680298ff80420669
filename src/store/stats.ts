import { scanInteractions } from './scan-interactions.js';
import { kyselyOf, type Store } from './store.js';
import { isoOrNull } from '../common/iso-time.js';

/** Distribution of interaction counts over entities (nearest-rank quantiles). */
export interface CountQuantiles {
  readonly min: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p90: number;
  readonly max: number;
}

/** What `contrarec stats` prints. Counts exclude deleted items. */
export interface StoreStats {
  readonly users: number;
  readonly items: number;
  readonly interactions: number;
  /** interactions ÷ (users × items); 0 for an empty store. */
  readonly density: number;
  /** Interactions per user, over users with at least one interaction. */
  readonly perUser: CountQuantiles | null;
  /** Interactions per item, over items with at least one interaction. */
  readonly perItem: CountQuantiles | null;
  /** The ten items with the most interactions (ties by external id). */
  readonly topItems: readonly { readonly externalId: string; readonly interactions: number }[];
  /** Earliest and latest time of the timed interactions, ISO 8601 UTC; null when there are none. */
  readonly timeRange: { readonly from: string; readonly to: string } | null;
  /** Share of interactions without a time (0..1); null when there are no interactions. */
  readonly untimedShare: number | null;
  /**
   * Share of timed interactions whose user has another interaction at the same second (0..1):
   * how much a chronological split must break ties arbitrarily. Null when none is timed.
   */
  readonly tiedShare: number | null;
}

/**
 * Nearest-rank quantile of an ascending array: the smallest value with at least p·n values
 * at or below it. E.g. [1,2,3,4] at p=0.5 → rank ceil(2)=2 → 2.
 */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1];
}

function quantiles(counts: number[]): CountQuantiles | null {
  if (counts.length === 0) return null;
  const s = Float64Array.from(counts).sort();
  return {
    min: s[0],
    p25: nearestRank(s, 0.25),
    p50: nearestRank(s, 0.5),
    p75: nearestRank(s, 0.75),
    p90: nearestRank(s, 0.9),
    max: s[s.length - 1],
  };
}

/**
 * Computes the store's summary statistics in one pass over the interactions. The counts and the
 * pass are separate reads: a write landing between them shows in one and not the other.
 */
export async function readStats(store: Store): Promise<StoreStats> {
  const db = kyselyOf(store);
  const users = Number(
    (
      await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const live = await db
    .selectFrom('items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  const items = Number(live.n);
  const raw = await scanInteractions(store);
  const perUser = new Int32Array(raw.maxUserId + 1);
  const perItem = new Int32Array(raw.maxItemId + 1);
  for (let k = 0; k < raw.n; k++) {
    perUser[raw.userId[k]]++;
    perItem[raw.itemId[k]]++;
  }
  // The scan is in (ts, user, item) order with the untimed (NaN) rows first.
  let untimed = 0;
  while (untimed < raw.n && Number.isNaN(raw.ts[untimed])) untimed++;
  const timed = raw.n - untimed;
  const nonZero = (counts: Int32Array): number[] => Array.from(counts).filter((c) => c > 0);
  const externalIds = (await db.selectFrom('items').select(['id', 'external_id']).execute()).map((r): [number, string] => [r.id, r.external_id]);
  const topItems = externalIds
    .filter(([id]) => perItem[id] > 0)
    .map(([id, externalId]) => ({ externalId, interactions: perItem[id] }))
    .sort((a, b) => b.interactions - a.interactions || (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0))
    .slice(0, 10);
  // A stored time outside the Date range (written by an older version) reads as null, not a RangeError.
  const iso = (t: number): string => isoOrNull(t) ?? `${t} (not a date)`;
  const tied = countTied(raw.ts, raw.userId, untimed, raw.n);
  return {
    users,
    items,
    interactions: raw.n,
    density: users > 0 && items > 0 ? raw.n / (users * items) : 0,
    perUser: quantiles(nonZero(perUser)),
    perItem: quantiles(nonZero(perItem)),
    topItems,
    // First and last timed rows are the range.
    timeRange: timed === 0 ? null : { from: iso(raw.ts[untimed]), to: iso(raw.ts[raw.n - 1]) },
    untimedShare: raw.n === 0 ? null : untimed / raw.n,
    tiedShare: timed === 0 ? null : tied / timed,
  };
}

/**
 * How many of rows `from`..`to - 1` share their (user, ts) with another row. Rows sorted by
 * (ts, user, …) put each such group in one run, so one pass over adjacent rows finds them.
 */
function countTied(ts: Float64Array, user: Int32Array, from: number, to: number): number {
  let tied = 0;
  for (let start = from; start < to;) {
    let end = start + 1;
    while (end < to && ts[end] === ts[start] && user[end] === user[start]) end++;
    if (end - start >= 2) tied += end - start;
    start = end;
  }
  return tied;
}
