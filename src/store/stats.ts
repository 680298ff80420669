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

/** Computes the store's summary statistics in one read transaction. */
export function readStats(store: Store): StoreStats {
  const { sqlite } = sqliteOf(store);
  return sqlite.transaction((): StoreStats => {
    const live = 'from interactions i join items it on it.id = i.item_id where it.deleted_at is null';
    const users = sqlite.prepare('select count(*) from users').pluck().get() as number;
    const items = sqlite.prepare('select count(*) from items where deleted_at is null').pluck().get() as number;
    const interactions = sqlite.prepare(`select count(*) ${live}`).pluck().get() as number;
    const perUser = sqlite.prepare(`select count(*) ${live} group by i.user_id`).pluck().all() as number[];
    const perItem = sqlite.prepare(`select count(*) ${live} group by i.item_id`).pluck().all() as number[];
    const top = sqlite
      .prepare(
        `select it.external_id as externalId, count(*) as interactions ${live}
         group by i.item_id order by interactions desc, it.external_id limit 10`,
      )
      .all() as { externalId: string; interactions: number }[];
    const range = sqlite.prepare(`select min(i.ts) as lo, max(i.ts) as hi ${live}`).get() as { lo: number | null; hi: number | null };
    const iso = (t: number): string => new Date(t * 1000).toISOString();
    return {
      users,
      items,
      interactions,
      density: users > 0 && items > 0 ? interactions / (users * items) : 0,
      perUser: quantiles(perUser),
      perItem: quantiles(perItem),
      topItems: top,
      timeRange: range.lo === null || range.hi === null ? null : { from: iso(range.lo), to: iso(range.hi) },
    };
  })();
}
