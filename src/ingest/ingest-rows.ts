import { listRejects, readIdempotentWrite, writeInteractionBatch, type IdempotencyClaim, type IdempotentWrite, type Store } from '../store/index.js';
import { validateInteractionInput, type InteractionRow } from './interaction-row.js';

/** Outcome of {@link ingestInteractionRows}; `rejected` holds the index of each refused row. */
export interface IngestRowsResult {
  /** The batch the rows went in; null when no row was good and nothing was written. */
  readonly batchId: number | null;
  readonly inserted: number;
  readonly duplicates: number;
  readonly rejected: readonly { readonly index: number; readonly reason: string }[];
  /**
   * With an idempotency key: `stored` with the rows; `replayed`, the first write's answer (nothing
   * written now); `conflict`, the key was used with another body (nothing written, counts 0).
   */
  readonly idempotency?: 'stored' | 'replayed' | 'conflict';
}

/**
 * Validates and stores interactions given as JSON values (the body of `POST /v1/interactions`),
 * with the same rules and dedupe as file ingest. Valid rows go in even when others are
 * refused; refused rows are returned and also kept in `rejected_rows` (file = `source`,
 * line = index + 1). When every row is refused nothing is written, not even a batch record: the
 * API answers that request 400, and a refused request leaves no trace in the store. `now` (unix
 * seconds) stamps rows without `ts`. With `idempotency`, a key already recorded answers what its
 * first write answered (or a conflict for another body) and writes nothing; else the key is
 * recorded with the rows. A request whose every row is refused records no key, so its retry is
 * refused again.
 *
 * @example
 *   ingestInteractionRows(store, [{ user: 'u1', item: 'i9', ts: 1700000000 }], { source: 'api' })
 */
export async function ingestInteractionRows(
  store: Store,
  rows: readonly unknown[],
  opts: { readonly source: string; readonly now?: number; readonly idempotency?: IdempotencyClaim },
): Promise<IngestRowsResult> {
  const claim = opts.idempotency;
  const prior = claim && (await readIdempotentWrite(store, claim.key));
  if (claim !== undefined && prior !== undefined) return answerOf(store, prior, claim);
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const good: InteractionRow[] = [];
  const rejected: { index: number; reason: string }[] = [];
  rows.forEach((raw, index) => {
    const r = validateInteractionInput(raw, now);
    if (typeof r === 'string') rejected.push({ index, reason: r });
    else good.push(r);
  });
  if (good.length === 0) return { batchId: null, inserted: 0, duplicates: 0, rejected };
  const rejects = rejected.map((r) => ({ file: opts.source, line: r.index + 1, raw: rawOf(rows[r.index]), reason: r.reason }));
  try {
    const result = await writeInteractionBatch(store, opts.source, good, rejects, claim);
    return { ...result, rejected, ...(claim && { idempotency: 'stored' as const }) };
  } catch (err) {
    // A request with the same key committed first, and its key failed this write: answer as a retry.
    const first = claim && (await readIdempotentWrite(store, claim.key));
    if (claim === undefined || first === undefined) throw err;
    return answerOf(store, first, claim);
  }
}

/** The answer a key's first write gave (its refused rows as recorded under its batch), or the conflict of another body. */
async function answerOf(store: Store, first: IdempotentWrite, claim: IdempotencyClaim): Promise<IngestRowsResult> {
  if (first.bodySha256 !== claim.bodySha256) return { batchId: null, inserted: 0, duplicates: 0, rejected: [], idempotency: 'conflict' };
  const rejects = first.rejected === 0 ? [] : await listRejects(store, first.batchId, first.rejected);
  const rejected = rejects.map((r) => ({ index: r.line - 1, reason: r.reason }));
  return { batchId: first.batchId, inserted: first.inserted, duplicates: first.duplicates, rejected, idempotency: 'replayed' };
}

/** A refused row as `rejected_rows` keeps it: its JSON (`String` when it has none), or a note when it nests too deep to write. */
function rawOf(row: unknown): string {
  try {
    return JSON.stringify(row) ?? String(row);
  } catch {
    return '(not recorded: nested too deep to write as JSON)';
  }
}
