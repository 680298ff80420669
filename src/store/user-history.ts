import { featureKinds, toCatalogueItem, type CatalogueItem } from './catalogue-items.js';
import type { FeatureValue } from './interaction-log.js';
import { coerceFeatures } from './read-interaction-log.js';
import { kyselyOf, type Store } from './store.js';
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
export async function readUserHistory(store: Store, userId: string, limit: number): Promise<UserHistory | undefined> {
  const db = kyselyOf(store);
  const user = await db.selectFrom('users').select(['id', 'features']).where('external_id', '=', userId).executeTakeFirst();
  if (user === undefined) return undefined;
  const { n } = await db
    .selectFrom('interactions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', user.id)
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('interactions as x')
    .innerJoin('items as i', 'i.id', 'x.item_id')
    .select(['i.external_id', 'i.features', 'i.deleted_at', 'x.ts', 'x.event', 'x.weight'])
    .where('x.user_id', '=', user.id)
    .orderBy('x.ts', 'desc')
    .orderBy('i.external_id')
    .limit(Math.max(0, limit))
    .execute();
  const itemKinds = await featureKinds(store, 'item');
  return {
    id: userId,
    features: coerceFeatures(user.features, await featureKinds(store, 'user')),
    interactions: Number(n),
    recent: rows.map((r) => ({ item: toCatalogueItem(r, itemKinds), ts: r.ts === UNTIMED_TS ? null : r.ts, event: r.event, weight: r.weight })),
  };
}
