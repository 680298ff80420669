import type BetterSqlite3 from 'better-sqlite3';
import { widenKind, type EntityWriter, type UpsertOutcome } from './entity-writer-types.js';
import type { FeatureKind } from './interaction-log.js';

/**
 * SQLite's fast path of {@link EntityWriter}: prepared statements in one `begin immediate`
 * transaction, features merged with `json_patch`. Each call runs to its end without a pause,
 * so the transaction is never interleaved with another user of the connection.
 */
export function openSqliteEntityWriter(sqlite: BetterSqlite3.Database, entity: 'user' | 'item', batchId: number): EntityWriter {
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
  const upsertOne = (externalId: string, json: string): UpsertOutcome => {
    const id = find.get(externalId) as number | undefined;
    if (id === undefined) {
      insert.run(externalId, json, batchId, now);
      return 'inserted';
    }
    return update.run({ patch: json, id }).changes === 1 ? 'updated' : 'unchanged';
  };
  sqlite.exec('begin immediate');
  let open = true;
  return {
    async upsert(rows) {
      const counts = { inserted: 0, updated: 0, unchanged: 0 };
      for (const r of rows) counts[upsertOne(r.externalId, JSON.stringify(r.features))]++;
      return counts;
    },
    async reject(rows) {
      for (const row of rows) insertReject.run(batchId, row.file, row.line, row.raw, row.reason);
    },
    async declareFields(fields) {
      for (const [name, kind] of fields) {
        const old = findField.get(entity, name) as FeatureKind | undefined;
        putField.run(entity, name, old === undefined ? kind : widenKind(old, kind));
      }
    },
    async commit() {
      if (open) sqlite.exec('commit');
      open = false;
    },
    async abort() {
      if (open) sqlite.exec('rollback');
      open = false;
    },
  };
}
