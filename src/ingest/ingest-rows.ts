import { writeInteractionBatch, type Store } from '../store/index.js';
import { validateInteractionInput, type InteractionRow } from './interaction-row.js';

/** Outcome of {@link ingestInteractionRows}; `rejected` holds the index of each refused row. */
export interface IngestRowsResult {
  readonly batchId: number;
  readonly inserted: number;
  readonly duplicates: number;
  readonly rejected: readonly { readonly index: number; readonly reason: string }[];
}

/**
 * Validates and stores interactions given as JSON values (the body of `POST /v1/interactions`),
 * with the same rules and dedupe as file ingest. Valid rows go in even when others are
 * refused; refused rows are returned and also kept in `rejected_rows` (file = `source`,
 * line = index + 1). `now` (unix seconds) stamps rows without `ts`.
 *
 * @example
 *   ingestInteractionRows(store, [{ user: 'u1', item: 'i9', ts: 1700000000 }], { source: 'api' })
 */
export function ingestInteractionRows(store: Store, rows: readonly unknown[], opts: { readonly source: string; readonly now?: number }): IngestRowsResult {
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const good: InteractionRow[] = [];
  const rejected: { index: number; reason: string }[] = [];
  rows.forEach((raw, index) => {
    const r = validateInteractionInput(raw, now);
    if (typeof r === 'string') rejected.push({ index, reason: r });
    else good.push(r);
  });
  const rejects = rejected.map((r) => ({
    file: opts.source,
    line: r.index + 1,
    raw: JSON.stringify(rows[r.index]) ?? String(rows[r.index]),
    reason: r.reason,
  }));
  const result = writeInteractionBatch(store, opts.source, good, rejects);
  return { ...result, rejected };
}
