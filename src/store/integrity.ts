import { sqliteOf, type Store } from './store.js';

/**
 * Runs SQLite's `integrity_check` and `foreign_key_check`; returns the problems found
 * (empty when the file is sound). Used after crashes and by tests.
 */
export function integrityCheck(store: Store): string[] {
  const { sqlite } = sqliteOf(store);
  const problems = (sqlite.prepare('pragma integrity_check').pluck().all() as string[]).filter((s) => s !== 'ok');
  const fk = sqlite.prepare('pragma foreign_key_check').all() as { table: string; rowid: number; parent: string }[];
  for (const f of fk) problems.push(`foreign key: ${f.table} row ${f.rowid} → ${f.parent}`);
  return problems;
}

/** Row counts of the main tables (for summaries and tests). */
export function countRows(store: Store): Readonly<Record<'users' | 'items' | 'interactions' | 'rejected_rows' | 'ingest_batches', number>> {
  const { sqlite } = sqliteOf(store);
  const n = (t: string): number => sqlite.prepare(`select count(*) from ${t}`).pluck().get() as number;
  return {
    users: n('users'),
    items: n('items'),
    interactions: n('interactions'),
    rejected_rows: n('rejected_rows'),
    ingest_batches: n('ingest_batches'),
  };
}
