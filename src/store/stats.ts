import { scanInteractions } from './scan-interactions.js';
import { sqliteOf, type Store } from './store.js';

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
  /** Earliest and latest interaction time, ISO 8601 UTC; null when there are none. */
  readonly timeRange: { readonly from: string; readonly to: string } | null;
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

/** Computes the store's summary statistics in one read transaction and one pass over the interactions. */
export function readStats(store: Store): StoreStats {
  const { sqlite } = sqliteOf(store);
  return sqlite.transaction((): StoreStats => {
    const users = sqlite.prepare('select count(*) from users').pluck().get() as number;
    const items = sqlite.prepare('select count(*) from items where deleted_at is null').pluck().get() as number;
    const raw = scanInteractions(store);
    const perUser = new Int32Array(raw.maxUserId + 1);
    const perItem = new Int32Array(raw.maxItemId + 1);
    for (let k = 0; k < raw.n; k++) {
      perUser[raw.userId[k]]++;
      perItem[raw.itemId[k]]++;
    }
    const nonZero = (counts: Int32Array): number[] => Array.from(counts).filter((c) => c > 0);
    const externalIds = sqlite.prepare('select id, external_id from items').raw().all() as [number, string][];
    const topItems = externalIds
      .filter(([id]) => perItem[id] > 0)
      .map(([id, externalId]) => ({ externalId, interactions: perItem[id] }))
      .sort((a, b) => b.interactions - a.interactions || (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0))
      .slice(0, 10);
    const iso = (t: number): string => new Date(t * 1000).toISOString();
    return {
      users,
      items,
      interactions: raw.n,
      density: users > 0 && items > 0 ? raw.n / (users * items) : 0,
      perUser: quantiles(nonZero(perUser)),
      perItem: quantiles(nonZero(perItem)),
      topItems,
      // The scan is in ts order: first and last are the range.
      timeRange: raw.n === 0 ? null : { from: iso(raw.ts[0]), to: iso(raw.ts[raw.n - 1]) },
    };
  })();
}
