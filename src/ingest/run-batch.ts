import { beginBatch, finishBatch, type BatchKind, type BatchOutcome, type RejectedRow, type Store } from '../store/index.js';
import { RejectTally, type IngestOptions, type IngestSummary } from './ingest-options.js';
import type { ReadProgress } from './line-reader.js';
import { clearlyExceedsMaxErrors, exceedsMaxErrors } from './max-errors.js';
import type { PreparedFile } from './prepare-files.js';

/** A begun batch: its id, and whether it resumes one that a killed run left `running`. */
export interface BegunBatch {
  readonly id: number;
  readonly resumed: boolean;
}

/** What a kept batch stored: new rows, changed users/items, and rows already stored. */
export interface BatchCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly duplicates: number;
}

/** What {@link BatchWork.write} is handed with each chunk, to count and report what it reads. */
export interface ChunkContext {
  /** Counts a refused row toward --max-errors and the summary; storing it is the work's job. */
  reject(row: RejectedRow): void;
  /** Adds `n` rows read (good or refused) to the batch's count. */
  countRows(n: number): void;
  /** Reports progress, counting `uncounted` rows read but not yet passed to {@link countRows}. */
  report(uncounted?: number): void;
}

/**
 * What one kind of ingest brings to {@link runBatch}: how its input is read in chunks, and how
 * rows are written, kept or undone. The lifecycle around it (batch record, reject tally,
 * --max-errors, failure record) is runBatch's.
 */
export interface BatchWork<C> {
  /** The input, chunk by chunk; runBatch stops iterating early when --max-errors is clearly exceeded. */
  chunks(): AsyncIterable<C>;
  /** Parses and writes one chunk, giving each refused row to `ctx.reject` and counting rows read. */
  write(chunk: C, ctx: ChunkContext): Promise<void>;
  /** Writes what is still buffered once the input ends (a failure here records the batch as failed). */
  flush(): Promise<void>;
  /** Rows so far that were already stored: the duplicates recorded for a batch that is undone. */
  readonly duplicates: number;
  /** Undoes the batch's rows and records it as `rolled_back` with `outcome`; its record and rejects stay. */
  discard(outcome: Omit<BatchOutcome, 'status'>): Promise<void>;
  /** Makes the batch's rows permanent and says what they were. */
  keep(): Promise<BatchCounts>;
}

/** The state of a running batch that the failure and summary paths read. */
interface BatchRun {
  readonly batch: BegunBatch;
  readonly progress: ReadProgress;
  readonly tally: RejectTally;
  rowsRead: number;
}

/**
 * Runs one ingest batch of `files`: begins (or resumes) the batch record, feeds the input
 * through `work` chunk by chunk, stops early once --max-errors is clearly exceeded, then either
 * keeps the rows (status `complete`) or undoes them (`rolled_back`, record and rejects kept).
 * On an error the batch is undone and recorded as `failed`, and the error is rethrown.
 * `start` opens the work for the begun batch; `progress` is what its reading advances.
 */
export async function runBatch<C>(
  store: Store,
  input: { readonly kind: BatchKind; readonly files: readonly PreparedFile[] },
  opts: IngestOptions,
  start: (batch: BegunBatch, progress: ReadProgress) => Promise<BatchWork<C>>,
): Promise<IngestSummary> {
  const { kind, files } = input;
  const source = JSON.stringify(files.map((f) => f.absPath));
  const format = [...new Set(files.map((f) => f.format))].join(',');
  const batch = await beginBatch(store, { kind, source, format });
  const progress: ReadProgress = { bytesRead: 0, bytesTotal: files.reduce((s, f) => s + f.bytes, 0) };
  const work = await start(batch, progress);
  const run: BatchRun = { batch, progress, tally: new RejectTally(), rowsRead: 0 };
  let stoppedEarly: boolean;
  try {
    stoppedEarly = await writeChunks(work, run, opts);
    await work.flush();
  } catch (err) {
    await recordFailure(store, work, run, err);
    throw err;
  }
  const { rowsRead, tally } = run;
  reportProgress(opts, rowsRead, progress);
  const base = { kind, batchId: batch.id, resumed: batch.resumed, rowsRead, rejected: tally.count, firstRejects: tally.first };
  if (stoppedEarly || exceedsMaxErrors(opts.maxErrors, tally.count, rowsRead)) {
    const duplicates = work.duplicates;
    const error = `too many rejected rows: ${tally.count} of ${rowsRead}`;
    await work.discard({ rowsRead, rowsInserted: 0, duplicates, rejected: tally.count, error });
    return { ...base, status: 'rolled_back', inserted: 0, updated: 0, duplicates };
  }
  const counts = await work.keep();
  await finishBatch(store, batch.id, { status: 'complete', rowsRead, rowsInserted: counts.inserted, duplicates: counts.duplicates, rejected: tally.count });
  return { ...base, status: 'complete', ...counts };
}

/** Writes every chunk; true when it stopped early because --max-errors is clearly exceeded. */
async function writeChunks<C>(work: BatchWork<C>, run: BatchRun, opts: IngestOptions): Promise<boolean> {
  const ctx: ChunkContext = {
    reject: (row) => run.tally.add(row),
    countRows: (n) => (run.rowsRead += n),
    report: (uncounted = 0) => reportProgress(opts, run.rowsRead + uncounted, run.progress),
  };
  for await (const chunk of work.chunks()) {
    await work.write(chunk, ctx);
    // Checked per chunk of input (not per commit), so a file of nothing but bad rows also
    // stops early; leaving the loop closes the input (and ends a parse worker).
    const share = run.progress.bytesRead / Math.max(1, run.progress.bytesTotal);
    if (clearlyExceedsMaxErrors(opts.maxErrors, run.tally.count, run.rowsRead, share)) return true;
  }
  return false;
}

/** Undoes a batch whose run threw, and records it as `failed` with the error. */
async function recordFailure<C>(store: Store, work: BatchWork<C>, run: BatchRun, err: unknown): Promise<void> {
  const outcome = { rowsRead: run.rowsRead, rowsInserted: 0, duplicates: work.duplicates, rejected: run.tally.count, error: String(err) };
  try {
    await work.discard(outcome);
    await finishBatch(store, run.batch.id, { ...outcome, status: 'failed' });
  } catch {
    // The original error matters more; the batch stays `running` and a re-run resumes it.
  }
}

function reportProgress(opts: IngestOptions, rowsRead: number, progress: ReadProgress): void {
  opts.onProgress?.({ rowsRead, bytesRead: progress.bytesRead, bytesTotal: progress.bytesTotal });
}
