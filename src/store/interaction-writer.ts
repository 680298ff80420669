import { openPostgresInteractionWriter } from './postgres-interaction-writer.js';
import { asyncInteractionWriter, openSqliteInteractionWriter } from './sqlite-interaction-writer.js';
import { dialectOf, type Store } from './store.js';
import type { InteractionWriter } from './interaction-writer-types.js';

export type { EncodedInteractions, InteractionWriter } from './interaction-writer-types.js';

/**
 * Opens a writer for `batchId`, through each dialect's fast path: SQLite's prepared multi-row
 * statements, PostgreSQL's `COPY … FROM STDIN`. `bulk` (default true, file ingest) lets SQLite
 * mirror every user and item id in memory; small API writes pass false.
 */
export function openInteractionWriter(store: Store, batchId: number, opts: { readonly bulk?: boolean } = {}): InteractionWriter {
  const concrete = dialectOf(store);
  if (concrete.dialect === 'postgres') return openPostgresInteractionWriter(concrete.pool, batchId);
  return asyncInteractionWriter(openSqliteInteractionWriter(concrete.sqlite, batchId, opts));
}
