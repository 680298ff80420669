import { sql, type Kysely } from 'kysely';
import { insertRejectRows } from './batches.js';
import type { Database } from './database.js';
import { widenKind, type EntityUpsert, type EntityWriter } from './entity-writer-types.js';
import { postgresJson } from './postgres-text.js';

/** Rows per INSERT … ON CONFLICT: four values each, well under PostgreSQL's 65535 bound values. */
const ROWS_PER_STATEMENT = 1000;

/**
 * PostgreSQL's {@link EntityWriter}: one transaction on a connection of its own, the rows of each
 * call upserted in multi-row `INSERT … ON CONFLICT DO UPDATE` statements that merge the features
 * as `jsonb` (`||`: a top-level merge, what `json_patch` does for these flat objects) and update
 * only rows whose features change. A statement never holds the same id twice (PostgreSQL refuses
 * to update a row twice in one statement), so a repeated id starts the next statement.
 */
export async function openPostgresEntityWriter(db: Kysely<Database>, entity: 'user' | 'item', batchId: number): Promise<EntityWriter> {
  const table = entity === 'user' ? 'users' : 'items';
  const now = Math.floor(Date.now() / 1000);
  const tx = await db.startTransaction().execute();
  const upsertRows = async (rows: readonly EntityUpsert[]): Promise<{ inserted: number; updated: number }> => {
    const merged = sql<string>`(${sql.ref(`${table}.features`)}::jsonb || excluded.features::jsonb)::text`;
    const written = await tx
      .insertInto(table)
      .values(rows.map((r) => ({ external_id: r.externalId, features: postgresJson(JSON.stringify(r.features)), batch_id: batchId, created_at: now })))
      .onConflict((oc) =>
        oc
          .column('external_id')
          .doUpdateSet({ features: merged })
          .where(sql<boolean>`${sql.ref(`${table}.features`)}::jsonb <> (${sql.ref(`${table}.features`)}::jsonb || excluded.features::jsonb)`),
      )
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .execute();
    const inserted = written.filter((w) => w.inserted).length;
    return { inserted, updated: written.length - inserted };
  };
  return {
    async upsert(rows) {
      const counts = { inserted: 0, updated: 0, unchanged: 0 };
      for (const part of partsWithoutRepeats(rows)) {
        const { inserted, updated } = await upsertRows(part);
        counts.inserted += inserted;
        counts.updated += updated;
        counts.unchanged += part.length - inserted - updated;
      }
      return counts;
    },
    async reject(rows) {
      for (let k = 0; k < rows.length; k += ROWS_PER_STATEMENT) await insertRejectRows(tx, batchId, rows.slice(k, k + ROWS_PER_STATEMENT));
    },
    async declareFields(fields) {
      for (const [name, kind] of fields) {
        const old = await tx.selectFrom('feature_fields').select('kind').where('entity', '=', entity).where('name', '=', name).executeTakeFirst();
        const widened = old === undefined ? kind : widenKind(old.kind, kind);
        await tx
          .insertInto('feature_fields')
          .values({ entity, name, kind: widened })
          .onConflict((oc) => oc.columns(['entity', 'name']).doUpdateSet({ kind: widened }))
          .execute();
      }
    },
    commit: () => (tx.isCommitted || tx.isRolledBack ? Promise.resolve() : tx.commit().execute()),
    abort: () => (tx.isCommitted || tx.isRolledBack ? Promise.resolve() : tx.rollback().execute()),
  };
}

/** `rows` cut, in order, into parts of at most {@link ROWS_PER_STATEMENT} rows with no external id twice in a part. */
function* partsWithoutRepeats(rows: readonly EntityUpsert[]): Generator<EntityUpsert[]> {
  let part: EntityUpsert[] = [];
  const ids = new Set<string>();
  for (const r of rows) {
    if (part.length === ROWS_PER_STATEMENT || ids.has(r.externalId)) {
      yield part;
      part = [];
      ids.clear();
    }
    part.push(r);
    ids.add(r.externalId);
  }
  if (part.length > 0) yield part;
}
