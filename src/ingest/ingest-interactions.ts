import { countBatchInteractions, openInteractionWriter, rollbackBatch, type BatchOutcome, type InteractionWriter, type Store } from '../store/index.js';
import type { EncodedChunk } from './encode-interactions.js';
import type { IngestOptions, IngestSummary } from './ingest-options.js';
import type { ReadProgress } from './line-reader.js';
import { parsedChunks } from './parsed-chunks.js';
import type { PreparedFile } from './prepare-files.js';
import { runBatch, type BatchCounts, type BatchWork, type BegunBatch, type ChunkContext } from './run-batch.js';

/**
 * Streams interaction files into the store as one batch, committing every `chunkRows` rows so
 * that memory stays flat and a killed run leaves a `running` batch that re-running the same
 * command resumes (rows already stored count as duplicates). When the rejects exceed
 * --max-errors, the batch is rolled back but its record and rejects are kept. Large inputs
 * are parsed on a worker thread ({@link parsedChunks}) while this thread writes the store.
 */
export async function ingestInteractions(store: Store, files: readonly PreparedFile[], opts: IngestOptions): Promise<IngestSummary> {
  return runBatch(store, { kind: 'interactions', files }, opts, async (batch, progress) => new InteractionBatch(store, files, opts, batch, progress));
}

/**
 * The interactions' part of a batch: parsed chunks written in input order and committed every
 * `chunkRows` good rows, with rejects stored in the same transactions (so they outlive a
 * rollback, which deletes only the batch's interactions and the users/items it created).
 */
class InteractionBatch implements BatchWork<EncodedChunk> {
  private readonly writer: InteractionWriter;
  private readonly chunkRows: number;
  /** Good rows handed to the writer (inserted or already stored). */
  private accepted = 0;
  /** Good rows since the last commit. */
  private pending = 0;

  constructor(
    private readonly store: Store,
    private readonly files: readonly PreparedFile[],
    private readonly opts: IngestOptions,
    private readonly batch: BegunBatch,
    private readonly progress: ReadProgress,
  ) {
    this.writer = openInteractionWriter(store, batch.id);
    this.chunkRows = opts.chunkRows ?? 50_000;
  }

  chunks(): AsyncIterable<EncodedChunk> {
    return parsedChunks(this.files, this.opts);
  }

  async write(chunk: EncodedChunk, ctx: ChunkContext): Promise<void> {
    const { writer, chunkRows } = this;
    writer.extendDictionaries(chunk.newUsers, chunk.newItems, chunk.newEvents);
    this.progress.bytesRead = chunk.bytesRead;
    const file = this.files[chunk.fileIndex].file;
    const { rejects } = chunk;
    let start = 0;
    // Good rows and rejects go in in input order, committing exactly every chunkRows good rows.
    for (let k = 0; k <= rejects.length; k++) {
      const stop = k < rejects.length ? rejects[k].at : chunk.count;
      while (start < stop) {
        const end = Math.min(stop, start + chunkRows - this.pending);
        await writer.addEncoded(chunk, start, end);
        this.accepted += end - start;
        this.pending += end - start;
        start = end;
        if (this.pending >= chunkRows) {
          await writer.commit();
          this.pending = 0;
          ctx.report(start + k);
        }
      }
      if (k < rejects.length) {
        const row = { file, line: rejects[k].line, raw: rejects[k].raw, reason: rejects[k].reason };
        ctx.reject(row);
        await writer.reject(row);
      }
    }
    ctx.countRows(chunk.rowsRead);
  }

  async flush(): Promise<void> {
    await this.writer.commit();
  }

  get duplicates(): number {
    return this.accepted - this.writer.inserted;
  }

  async discard(outcome: Omit<BatchOutcome, 'status'>): Promise<void> {
    // Drops what a failure left uncommitted (after flush nothing is); rollbackBatch undoes the rest.
    await this.writer.abort();
    await rollbackBatch(this.store, this.batch.id, outcome);
  }

  async keep(): Promise<BatchCounts> {
    let inserted = this.writer.inserted;
    let duplicates = this.accepted - inserted;
    if (this.batch.resumed) {
      // Rows a killed run committed under this batch were counted as duplicates above.
      const stored = await countBatchInteractions(this.store, this.batch.id);
      duplicates = inserted + duplicates - stored;
      inserted = stored;
    }
    return { inserted, updated: 0, duplicates };
  }
}
