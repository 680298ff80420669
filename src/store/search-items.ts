import { featureKinds, toCatalogueItem, type CatalogueItem } from './catalogue-items.js';
import { sqliteOf, type Store } from './store.js';

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Type-ahead over the live catalogue: items whose external id starts with `query`, or one of
 * whose categorical text features (title, name, category…) contains it, case-insensitively
 * (ASCII). Best first: the exact id, then id prefixes (shortest id first, so `i1` before `i10`),
 * then feature matches whose text starts with the query, then the rest, each by id. Numeric and
 * multi-valued fields are not searched (a price "80.60" is not a name).
 */
export function searchItems(store: Store, query: string, limit: number): CatalogueItem[] {
  const q = query.trim();
  if (q === '' || limit <= 0) return [];
  const kinds = featureKinds(store, 'item');
  const textFields = [...kinds].filter(([, kind]) => kind === 'categorical').map(([name]) => name);
  const prefix = `${escapeLike(q)}%`;
  const inside = `%${escapeLike(q)}%`;
  const fieldList = textFields.map(() => '?').join(',');
  const featureMatch = (pattern: string) =>
    textFields.length === 0 ? '0' : `exists (select 1 from json_each(items.features) j where j.key in (${fieldList}) and j.value like ${pattern} escape '\\')`;
  const sql = `select external_id, features, deleted_at from items
    where deleted_at is null and (external_id like @prefix escape '\\' or ${featureMatch('@inside')})
    order by case when external_id = @q then 0 when external_id like @prefix escape '\\' then 1 when ${featureMatch('@prefix')} then 2 else 3 end,
      length(external_id), external_id
    limit @limit`;
  const { sqlite } = sqliteOf(store);
  // Positional parameters (the field names) go first, in the order the `?`s appear.
  const params = [...textFields, ...textFields];
  const rows = sqlite.prepare(sql).all(...params, { q, prefix, inside, limit }) as { external_id: string; features: string; deleted_at: number | null }[];
  return rows.map((r) => toCatalogueItem(r, kinds));
}
