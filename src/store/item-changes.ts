import type { FeatureValue } from './interaction-log.js';
import { featureKinds } from './catalogue-items.js';
import { coerceFeatures } from './read-interaction-log.js';
import { kyselyOf, type Store } from './store.js';

/** Where `readItemChanges` read up to: the next call starts from here. */
export interface ItemWatermark {
  /** The highest item row id read (items are numbered as they are first stored). */
  readonly addedThrough: number;
  /** The latest `deleted_at` read (unix seconds); deletions at that second are read again, harmlessly. */
  readonly deletedSince: number;
}

/** Items stored and deleted since a watermark. */
export interface ItemChanges {
  /** Items stored since, not deleted and not `known`, with their features, oldest first. */
  readonly added: readonly { readonly id: string; readonly features: Readonly<Record<string, FeatureValue>> }[];
  /** External ids of the items deleted since. */
  readonly deleted: readonly string[];
  readonly through: ItemWatermark;
  /** Whether `limit` cut the read short: another read from `through` is due. */
  readonly more: boolean;
}

/** How much one {@link readItemChanges} reads. */
export interface ItemChangeRead {
  /** Most stored items one read takes (default: every one since the watermark). */
  readonly limit?: number;
  /** Items the reader already holds: left out of `added`, and their features are never read. */
  readonly known?: (externalId: string) => boolean;
}

/** The watermark before any item: `readItemChanges` from it reads the whole catalogue. */
export const NO_ITEMS_READ: ItemWatermark = { addedThrough: 0, deletedSince: 0 };

/** Most ids one `in (…)` list of the feature read holds (SQLite caps bound parameters). */
const FEATURE_READ_IDS = 500;

/**
 * The items stored (`contrarec ingest items`, `POST /v1/items`, or first named by an interaction)
 * and deleted (`markItemDeleted`) since `after`: how a serving process learns what to add to its
 * index and what to take out. A range of the items' primary key and one of `items_by_deleted_at`:
 * next to nothing when nothing changed. Only the items that are neither deleted nor `known` have
 * their features read, so that reading a whole catalogue for a new version (a page of `limit`
 * at a time, so that the serving thread answers between pages) costs little beyond its ids. A
 * change to the features of an item already stored is not one of them (it counts at the next
 * retrain).
 */
export async function readItemChanges(store: Store, after: ItemWatermark, read: ItemChangeRead = {}): Promise<ItemChanges> {
  const db = kyselyOf(store);
  let stored = db.selectFrom('items').select(['id', 'external_id', 'deleted_at']).where('id', '>', after.addedThrough).orderBy('id');
  if (read.limit !== undefined) stored = stored.limit(read.limit);
  const rows = await stored.execute();
  const wanted = rows.filter((r) => r.deleted_at === null && read.known?.(r.external_id) !== true);
  const deleted = await db.selectFrom('items').select(['external_id', 'deleted_at']).where('deleted_at', '>=', after.deletedSince).execute();
  return {
    added: await withFeatures(store, wanted),
    deleted: deleted.map((r) => r.external_id),
    through: {
      addedThrough: rows.at(-1)?.id ?? after.addedThrough,
      deletedSince: deleted.reduce((latest, r) => Math.max(latest, r.deleted_at ?? 0), after.deletedSince),
    },
    more: read.limit !== undefined && rows.length === read.limit,
  };
}

/** The features of these items, in their order. */
async function withFeatures(store: Store, items: readonly { readonly id: number; readonly external_id: string }[]): Promise<ItemChanges['added']> {
  if (items.length === 0) return [];
  const kinds = await featureKinds(store, 'item');
  const features = new Map<number, string>();
  for (let start = 0; start < items.length; start += FEATURE_READ_IDS) {
    const ids = items.slice(start, start + FEATURE_READ_IDS).map((r) => r.id);
    const rows = await kyselyOf(store).selectFrom('items').select(['id', 'features']).where('id', 'in', ids).execute();
    for (const r of rows) features.set(r.id, r.features);
  }
  return items.map((r) => ({ id: r.external_id, features: coerceFeatures(features.get(r.id) ?? '{}', kinds) }));
}
