import type { EntityWriter } from './entity-writer-types.js';
import { openPostgresEntityWriter } from './postgres-entity-writer.js';
import { openSqliteEntityWriter } from './sqlite-entity-writer.js';
import { dialectOf, type Store } from './store.js';

export { widenKind, type EntityUpsert, type EntityWriter, type UpsertOutcome } from './entity-writer-types.js';

/** Opens a writer (and its transaction) for the `users` or `items` table, through the store's dialect. */
export async function openEntityWriter(store: Store, entity: 'user' | 'item', batchId: number): Promise<EntityWriter> {
  const concrete = dialectOf(store);
  return concrete.dialect === 'sqlite' ? openSqliteEntityWriter(concrete.sqlite, entity, batchId) : openPostgresEntityWriter(concrete.db, entity, batchId);
}
