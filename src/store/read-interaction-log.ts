import type { EntityRecord, FeatureField, FeatureKind, FeatureValue, InteractionLog } from './interaction-log.js';
import { sqliteOf, type Store } from './store.js';

/** Options for {@link readInteractionLog}. */
export interface ReadInteractionLogOptions {
  /** Only interactions with `ts < until` (unix seconds, exclusive): the data as it was at that instant. */
  readonly until?: number;
}

/**
 * Reads the store into the columnar {@link InteractionLog}: interactions sorted by
 * (ts, user, item), and only the users and items they reference (in internal-id order),
 * with their features parsed and coerced to the field's declared kind. Interactions with
 * deleted items are left out.
 */
export function readInteractionLog(store: Store, opts: ReadInteractionLogOptions = {}): InteractionLog {
  const { sqlite } = sqliteOf(store);
  const until = opts.until ?? Number.MAX_SAFE_INTEGER;
  const live = 'from interactions i join items it on it.id = i.item_id where it.deleted_at is null and i.ts < ?';
  const fields = sqlite.prepare('select entity, name, kind from feature_fields order by entity, name').all() as FeatureField[];
  const kinds = { user: new Map<string, FeatureKind>(), item: new Map<string, FeatureKind>() };
  for (const f of fields) kinds[f.entity].set(f.name, f.kind);

  const loadEntities = (table: 'users' | 'items', column: 'user_id' | 'item_id', entity: 'user' | 'item') => {
    const rows = sqlite
      .prepare(`select id, external_id, features from ${table} where id in (select distinct i.${column} ${live}) order by id`)
      .raw()
      .all(until) as [number, string, string][];
    const index = new Map<number, number>();
    const records: EntityRecord[] = rows.map(([id, externalId, features], k) => {
      index.set(id, k);
      return { externalId, features: coerceFeatures(features, kinds[entity]) };
    });
    return { index, records };
  };
  const users = loadEntities('users', 'user_id', 'user');
  const items = loadEntities('items', 'item_id', 'item');

  const n = (sqlite.prepare(`select count(*) ${live}`).pluck().get(until) as number) ?? 0;
  const user = new Int32Array(n);
  const item = new Int32Array(n);
  const ts = new Float64Array(n);
  const weight = new Float32Array(n);
  let k = 0;
  const rows = sqlite
    .prepare(`select i.user_id, i.item_id, i.ts, i.weight ${live} order by i.ts, i.user_id, i.item_id`)
    .raw()
    .iterate(until) as IterableIterator<[number, number, number, number]>;
  for (const [u, it, t, w] of rows) {
    if (k === n) break;
    user[k] = users.index.get(u)!;
    item[k] = items.index.get(it)!;
    ts[k] = t;
    weight[k] = w;
    k++;
  }
  return {
    users: users.records,
    items: items.records,
    featureFields: fields,
    interactions: { user: user.subarray(0, k), item: item.subarray(0, k), ts: ts.subarray(0, k), weight: weight.subarray(0, k) },
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
