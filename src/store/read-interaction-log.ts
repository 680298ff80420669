import type { EntityRecord, FeatureField, FeatureKind, FeatureValue, InteractionLog } from './interaction-log.js';
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import { scanInteractions } from './scan-interactions.js';
import { kyselyOf, type Store } from './store.js';

/** Options for {@link readInteractionLog}. */
export interface ReadInteractionLogOptions {
  /** Only interactions with `ts < until` (unix seconds, exclusive): the data as it was at that instant. */
  readonly until?: number;
}

/**
 * Reads the store into the columnar {@link InteractionLog}: interactions sorted by
 * (ts, user, item), the users they reference and every item of the catalogue that is not
 * deleted (in internal-id order) — items nobody interacted with yet are still ranked and
 * served, from their features — with features parsed and coerced to the field's declared
 * kind. Interactions with deleted items are left out.
 */
export async function readInteractionLog(store: Store, opts: ReadInteractionLogOptions = {}): Promise<InteractionLog> {
  const db = kyselyOf(store);
  const fields: FeatureField[] = await db.selectFrom('feature_fields').select(['entity', 'name', 'kind']).orderBy('entity').orderBy('name').execute();
  const kinds = { user: new Map<string, FeatureKind>(), item: new Map<string, FeatureKind>() };
  for (const f of fields) kinds[f.entity].set(f.name, f.kind);
  const raw = await scanInteractions(store, opts.until);
  const users = await loadEntities(db, { table: 'users', ids: raw.userId, maxId: raw.maxUserId, kinds: kinds.user, wholeCatalogue: false });
  const items = await loadEntities(db, { table: 'items', ids: raw.itemId, maxId: raw.maxItemId, kinds: kinds.item, wholeCatalogue: true });
  return {
    users,
    items,
    featureFields: fields,
    interactions: { user: raw.userId, item: raw.itemId, ts: raw.ts, weight: raw.weight },
  };
}

/**
 * The entities `ids` refer to (or, for the whole catalogue, every one not deleted), in internal-id
 * order, rewriting `ids` in place from internal ids to positions in the returned list. The
 * internal id → position map is a dense array (ids are row ids, so dense enough); -1 = not referenced.
 */
async function loadEntities(
  db: Kysely<Database>,
  spec: { table: 'users' | 'items'; ids: Int32Array; maxId: number; kinds: ReadonlyMap<string, FeatureKind>; wholeCatalogue: boolean },
): Promise<EntityRecord[]> {
  const { table, ids, maxId, kinds, wholeCatalogue } = spec;
  const rows = await db
    .selectFrom(table)
    .select(['id', 'external_id', 'features'])
    .$if(wholeCatalogue, (q) => q.where(sql.ref('deleted_at'), 'is', null))
    .orderBy('id')
    .execute();
  const tableMax = wholeCatalogue && rows.length > 0 ? rows[rows.length - 1].id : 0;
  const position = new Int32Array(Math.max(maxId, tableMax) + 1).fill(wholeCatalogue ? 0 : -1);
  for (let k = 0; k < ids.length; k++) position[ids[k]] = 0;
  const records: EntityRecord[] = [];
  for (const { id, external_id: externalId, features } of rows) {
    if (id >= position.length || position[id] < 0) continue;
    position[id] = records.length;
    records.push({ externalId, features: coerceFeatures(features, kinds) });
  }
  for (let k = 0; k < ids.length; k++) ids[k] = position[ids[k]];
  return records;
}

/**
 * Parses stored feature JSON and coerces each value to its field's kind (files may have
 * widened a field after earlier values were stored): numeric → finite number (else dropped),
 * categorical → string, multi → string[].
 */
export function coerceFeatures(json: string, kinds: ReadonlyMap<string, FeatureKind>): Record<string, FeatureValue> {
  const raw = JSON.parse(json) as Record<string, unknown>;
  const out: Record<string, FeatureValue> = {};
  for (const [name, value] of Object.entries(raw)) {
    const kind = kinds.get(name) ?? (Array.isArray(value) ? 'multi' : typeof value === 'number' ? 'numeric' : 'categorical');
    const v = coerceValue(value, kind);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

function coerceValue(value: unknown, kind: FeatureKind): FeatureValue | undefined {
  if (kind === 'multi') {
    if (Array.isArray(value)) return value.map(String);
    return value === null || value === undefined ? undefined : [String(value)];
  }
  if (kind === 'numeric') {
    const x = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    return Number.isFinite(x) ? x : undefined;
  }
  if (Array.isArray(value)) return value.map(String).join(' ');
  return value === null || value === undefined ? undefined : String(value);
}
