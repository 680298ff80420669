import type { FeatureKind, FeatureValue } from './interaction-log.js';
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
  /** Items stored since, not deleted, with their features, oldest first. */
  readonly added: readonly { readonly id: string; readonly features: Readonly<Record<string, FeatureValue>> }[];
  /** External ids of the items deleted since. */
  readonly deleted: readonly string[];
  readonly through: ItemWatermark;
}

/** The watermark before any item: `readItemChanges` from it reads the whole catalogue. */
export const NO_ITEMS_READ: ItemWatermark = { addedThrough: 0, deletedSince: 0 };

/**
 * The items stored (`contrarec ingest items`, `POST /v1/items`, or first named by an interaction)
 * and deleted (`markItemDeleted`) since `after`: how a serving process learns what to add to its
 * index and what to take out. A range of the items' primary key and one of `items_by_deleted_at`:
 * next to nothing when nothing changed. A change to the features of an item already stored is
 * not one of them (it counts at the next retrain).
 */
export async function readItemChanges(store: Store, after: ItemWatermark): Promise<ItemChanges> {
  const db = kyselyOf(store);
  const added = await db
    .selectFrom('items')
    .select(['id', 'external_id', 'features', 'deleted_at'])
    .where('id', '>', after.addedThrough)
    .orderBy('id')
    .execute();
  const deleted = await db.selectFrom('items').select(['external_id', 'deleted_at']).where('deleted_at', '>=', after.deletedSince).execute();
  const kinds = added.length > 0 ? await featureKinds(store, 'item') : new Map<string, FeatureKind>();
  return {
    added: added.filter((r) => r.deleted_at === null).map((r) => ({ id: r.external_id, features: coerceFeatures(r.features, kinds) })),
    deleted: deleted.map((r) => r.external_id),
    through: {
      addedThrough: added.at(-1)?.id ?? after.addedThrough,
      deletedSince: deleted.reduce((latest, r) => Math.max(latest, r.deleted_at ?? 0), after.deletedSince),
    },
  };
}
