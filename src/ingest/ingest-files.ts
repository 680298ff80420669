import type { BatchKind, Store } from '../store/index.js';
import { ingestEntities } from './ingest-entities.js';
import { ingestInteractions } from './ingest-interactions.js';
import type { IngestOptions, IngestSummary } from './ingest-options.js';
import type { PreparedFile } from './prepare-files.js';

/**
 * Ingests files already checked by `prepareFiles` as one batch of the given kind. The same
 * function backs `contrarec ingest`, the demo and the benchmark.
 *
 * @example
 *   const files = await prepareFiles('interactions', ['logs.csv'], {});
 *   const store = await openStore(dbPath);
 *   const summary = await ingestFiles(store, 'interactions', files, { maxErrors: DEFAULT_MAX_ERRORS, multiSep: '|' });
 */
export async function ingestFiles(store: Store, kind: BatchKind, files: readonly PreparedFile[], opts: IngestOptions): Promise<IngestSummary> {
  return kind === 'interactions' ? ingestInteractions(store, files, opts) : ingestEntities(store, kind, files, opts);
}

/** The one-line summary printed at the end of an ingest. */
export function formatSummary(s: IngestSummary): string {
  const updated = s.kind === 'interactions' ? '' : `, updated ${s.updated}`;
  const state = s.status === 'complete' ? (s.resumed ? ' (resumed)' : '') : ' — ROLLED BACK';
  return `${s.kind}: read ${s.rowsRead}, inserted ${s.inserted}${updated}, duplicates ${s.duplicates}, rejected ${s.rejected}${state}`;
}
