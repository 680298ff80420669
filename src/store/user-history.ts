import { featureKinds, toCatalogueItem, type CatalogueItem } from './catalogue-items.js';
import type { FeatureValue } from './interaction-log.js';
import { coerceFeatures } from './read-interaction-log.js';
import { sqliteOf, type Store } from './store.js';
import { UNTIMED_TS } from './untimed.js';

/** One interaction of a user's history, with the item as the catalogue has it. */
export interface HistoryEntry {
  readonly item: CatalogueItem;
  /** Unix seconds; null when the interaction has no time. */
  readonly ts: number | null;
  readonly event: string;
  readonly weight: number;
}

/** A user with their features and most recent interactions (newest first). */
export interface UserHistory {
  readonly id: string;
  readonly features: Readonly<Record<string, FeatureValue>>;
  /** All their interactions in the store, however many `recent` shows. */
  readonly interactions: number;
  readonly recent: readonly HistoryEntry[];
}

/**
 * A user's features and their `limit` most recent interactions (newest first, untimed ones
 * last, removed items included and flagged), or undefined for an unknown external id. The
 * interactions table is keyed by time first, so this scans it: fine for a page view, not for a
 * hot path.
 */
export function readUserHistory(store: Store, userId: string, limit: number): UserHistory | undefined {
  const { sqlite } = sqliteOf(store);
  const user = sqlite.prepare('select id, features from users where external_id = ?').get(userId) as { id: number; features: string } | undefined;
  if (user === undefined) return undefined;
  const { n } = sqlite.prepare('select count(*) as n from interactions where user_id = ?').get(user.id) as { n: number };
  const rows = sqlite
    .prepare(
      `select i.external_id, i.features, i.deleted_at, x.ts, x.event, x.weight
       from interactions x join items i on i.id = x.item_id
       where x.user_id = ? order by x.ts desc, i.external_id limit ?`,
    )
    .all(user.id, Math.max(0, limit)) as { external_id: string; features: string; deleted_at: number | null; ts: number; event: string; weight: number }[];
  const itemKinds = featureKinds(store, 'item');
  return {
    id: userId,
    features: coerceFeatures(user.features, featureKinds(store, 'user')),
    interactions: n,
    recent: rows.map((r) => ({ item: toCatalogueItem(r, itemKinds), ts: r.ts === UNTIMED_TS ? null : r.ts, event: r.event, weight: r.weight })),
  };
}
