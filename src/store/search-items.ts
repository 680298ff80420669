import { sql, type RawBuilder } from 'kysely';
import { featureKinds, toCatalogueItem, type CatalogueItem } from './catalogue-items.js';
import { dialectOf, type Store } from './store.js';

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Type-ahead over the live catalogue: items whose external id starts with `query`, or one of
 * whose categorical text features (title, name, category…) contains it, case-insensitively
 * (ASCII). Best first: the exact id, then id prefixes (shortest id first, so `i1` before `i10`),
 * then feature matches whose text starts with the query, then the rest, each by id. Numeric and
 * multi-valued fields are not searched (a price "80.60" is not a name). SQLite's `like` ignores
 * ASCII case, PostgreSQL's `ilike` does the same there; the features are read as JSON with
 * `json_each` and `jsonb_each_text`.
 */
export async function searchItems(store: Store, query: string, limit: number): Promise<CatalogueItem[]> {
  const q = query.trim();
  if (q === '' || limit <= 0) return [];
  const kinds = await featureKinds(store, 'item');
  const textFields = [...kinds].filter(([, kind]) => kind === 'categorical').map(([name]) => name);
  const { db, dialect } = dialectOf(store);
  const like = dialect === 'postgres' ? sql`ilike` : sql`like`;
  const prefix = `${escapeLike(q)}%`;
  const inside = `%${escapeLike(q)}%`;
  const fieldValues = dialect === 'postgres' ? sql`jsonb_each_text(items.features::jsonb)` : sql`json_each(items.features)`;
  const featureMatch = (pattern: string): RawBuilder<unknown> =>
    textFields.length === 0
      ? sql`1 = 0`
      : sql`exists (select 1 from ${fieldValues} j where j.key in (${sql.join(textFields)}) and j.value ${like} ${pattern} escape '\\')`;
  const { rows } = await sql<{ external_id: string; features: string; deleted_at: number | null }>`
    select external_id, features, deleted_at from items
    where deleted_at is null and (external_id ${like} ${prefix} escape '\\' or ${featureMatch(inside)})
    order by case when external_id = ${q} then 0 when external_id ${like} ${prefix} escape '\\' then 1 when ${featureMatch(prefix)} then 2 else 3 end,
      length(external_id), external_id
    limit ${limit}`.execute(db);
  return rows.map((r) => toCatalogueItem(r, kinds));
}
