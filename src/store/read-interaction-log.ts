import type { EntityRecord, FeatureField, FeatureKind, FeatureValue, InteractionLog } from './interaction-log.js';
import { scanInteractions } from './scan-interactions.js';
import { sqliteOf, type Store } from './store.js';

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
export function readInteractionLog(store: Store, opts: ReadInteractionLogOptions = {}): InteractionLog {
  const { sqlite } = sqliteOf(store);
  const fields = sqlite.prepare('select entity, name, kind from feature_fields order by entity, name').all() as FeatureField[];
  const kinds = { user: new Map<string, FeatureKind>(), item: new Map<string, FeatureKind>() };
  for (const f of fields) kinds[f.entity].set(f.name, f.kind);
  const raw = scanInteractions(store, opts.until);

  // Dense internal id → position maps (ids are rowids, so dense enough); -1 = not referenced.
  const loadEntities = (table: 'users' | 'items', ids: Int32Array, maxId: number, entity: 'user' | 'item', wholeCatalogue: boolean) => {
    const tableMax = wholeCatalogue ? ((sqlite.prepare(`select max(id) from ${table}`).pluck().get() as number | null) ?? 0) : maxId;
    const position = new Int32Array(Math.max(maxId, tableMax) + 1).fill(wholeCatalogue ? 0 : -1);
    for (let k = 0; k < ids.length; k++) position[ids[k]] = 0;
    const records: EntityRecord[] = [];
    const where = wholeCatalogue ? ' where deleted_at is null' : '';
    const rows = sqlite.prepare(`select id, external_id, features from ${table}${where} order by id`).raw().iterate() as IterableIterator<
      [number, string, string]
    >;
    for (const [id, externalId, features] of rows) {
      if (id >= position.length || position[id] < 0) continue;
      position[id] = records.length;
      records.push({ externalId, features: coerceFeatures(features, kinds[entity]) });
    }
    for (let k = 0; k < ids.length; k++) ids[k] = position[ids[k]];
    return records;
  };
  const users = loadEntities('users', raw.userId, raw.maxUserId, 'user', false);
  const items = loadEntities('items', raw.itemId, raw.maxItemId, 'item', true);
  return {
    users,
    items,
    featureFields: fields,
    interactions: { user: raw.userId, item: raw.itemId, ts: raw.ts, weight: raw.weight },
  };
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
