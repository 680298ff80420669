import type { FeatureKind, FeatureValue } from './interaction-log.js';
import type { RejectedRow } from './batches.js';
import { sqliteOf, type Store } from './store.js';

/** Whether an entity row created a new user/item, changed an existing one's features, or changed nothing. */
export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

/**
 * Writes user or item side features for one batch, in a single transaction (feature files are
 * small next to interaction logs, and one transaction makes a rollback exact). New features
 * are merged into the stored ones (JSON merge patch), so that two files can describe
 * different fields of the same entity.
 */
export interface EntityWriter {
  /** Upserts one entity's features. */
  upsert(externalId: string, features: Readonly<Record<string, FeatureValue>>): UpsertOutcome;
  /** Records a rejected row inside the transaction. */
  reject(row: RejectedRow): void;
  /** Records the kind of each field, widening numeric → categorical → multi when files disagree. */
  declareFields(fields: ReadonlyMap<string, FeatureKind>): void;
  /** Commits everything. */
  commit(): void;
  /** Rolls everything back. */
  abort(): void;
}

const KIND_RANK: Readonly<Record<FeatureKind, number>> = { numeric: 0, categorical: 1, multi: 2 };

/** The wider of two kinds: a field that held numbers and then words is categorical, and so on. */
export function widenKind(a: FeatureKind, b: FeatureKind): FeatureKind {
  return KIND_RANK[a] >= KIND_RANK[b] ? a : b;
}

/** Opens a writer (and its transaction) for the `users` or `items` table. */
export function openEntityWriter(store: Store, entity: 'user' | 'item', batchId: number): EntityWriter {
  const { sqlite } = sqliteOf(store);
  const table = entity === 'user' ? 'users' : 'items';
  const now = Math.floor(Date.now() / 1000);
  const find = sqlite.prepare(`select id from ${table} where external_id = ?`).pluck();
  const insert = sqlite.prepare(`insert into ${table} (external_id, features, batch_id, created_at) values (?, ?, ?, ?)`);
  const update = sqlite.prepare(`update ${table} set features = json_patch(features, @patch) where id = @id and features <> json_patch(features, @patch)`);
  const insertReject = sqlite.prepare('insert into rejected_rows (batch_id, file, line, raw, reason) values (?, ?, ?, ?, ?)');
  const findField = sqlite.prepare('select kind from feature_fields where entity = ? and name = ?').pluck();
  const putField = sqlite.prepare(
    'insert into feature_fields (entity, name, kind) values (?, ?, ?) on conflict (entity, name) do update set kind = excluded.kind',
  );
  sqlite.exec('begin immediate');
  let open = true;
  return {
    upsert(externalId, features) {
      const json = JSON.stringify(features);
      const id = find.get(externalId) as number | undefined;
      if (id === undefined) {
        insert.run(externalId, json, batchId, now);
        return 'inserted';
      }
      return update.run({ patch: json, id }).changes === 1 ? 'updated' : 'unchanged';
    },
    reject(row) {
      insertReject.run(batchId, row.file, row.line, row.raw, row.reason);
    },
    declareFields(fields) {
      for (const [name, kind] of fields) {
        const old = findField.get(entity, name) as FeatureKind | undefined;
        putField.run(entity, name, old === undefined ? kind : widenKind(old, kind));
      }
    },
    commit() {
      if (open) sqlite.exec('commit');
      open = false;
    },
    abort() {
      if (open) sqlite.exec('rollback');
      open = false;
    },
  };
}
