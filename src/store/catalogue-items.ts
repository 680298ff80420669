import type { FeatureKind, FeatureValue } from './interaction-log.js';
import { coerceFeatures } from './read-interaction-log.js';
import { kyselyOf, type Store } from './store.js';

/** An item of the catalogue as a person browses it: external id, typed features, whether removed. */
export interface CatalogueItem {
  readonly id: string;
  readonly features: Readonly<Record<string, FeatureValue>>;
  /** True once `markItemDeleted` removed it (kept for history, never recommended again). */
  readonly deleted: boolean;
}

/** Declared kinds of one entity's feature fields, for `coerceFeatures`. */
export async function featureKinds(store: Store, entity: 'user' | 'item'): Promise<Map<string, FeatureKind>> {
  const rows = await kyselyOf(store).selectFrom('feature_fields').select(['name', 'kind']).where('entity', '=', entity).execute();
  return new Map(rows.map((r) => [r.name, r.kind]));
}

/** Turns an `items` row into a {@link CatalogueItem} (features parsed and coerced to their kinds). */
export function toCatalogueItem(
  row: { external_id: string; features: string; deleted_at: number | null },
  kinds: ReadonlyMap<string, FeatureKind>,
): CatalogueItem {
  return { id: row.external_id, features: coerceFeatures(row.features, kinds), deleted: row.deleted_at !== null };
}

/**
 * The items with these external ids, in the order asked (unknown ids left out): the features
 * beside a list of ids such as a top-k answer. One query however many ids (at most 1000).
 */
export async function findItems(store: Store, ids: readonly string[]): Promise<CatalogueItem[]> {
  if (ids.length === 0) return [];
  if (ids.length > 1000) throw new RangeError(`findItems: at most 1000 ids, got ${ids.length}`);
  const rows = await kyselyOf(store).selectFrom('items').select(['external_id', 'features', 'deleted_at']).where('external_id', 'in', ids).execute();
  const kinds = await featureKinds(store, 'item');
  const byId = new Map(rows.map((r) => [r.external_id, toCatalogueItem(r, kinds)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
