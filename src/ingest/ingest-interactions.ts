import {
  beginBatch,
  countBatchInteractions,
  finishBatch,
  openInteractionWriter,
  rollbackBatch,
  type Store,
} from '../store/index.js';
import { RejectTally, type IngestOptions, type IngestSummary } from './ingest-options.js';
import { clearlyExceedsMaxErrors, exceedsMaxErrors } from './max-errors.js';
import { parsedChunks } from './parsed-chunks.js';
import type { PreparedFile } from './prepare-files.js';

/**
 * Streams interaction files into the store as one batch, committing every `chunkRows` rows so
 * that memory stays flat and a killed run leaves a `running` batch that re-running the same
 * command resumes (rows already stored count as duplicates). When the rejects exceed
 * --max-errors, the batch is rolled back but its record and rejects are kept. Large inputs
 * are parsed on a worker thread ({@link parsedChunks}) while this thread writes SQLite.
 */
export async function ingestInteractions(store: Store, files: readonly PreparedFile[], opts: IngestOptions): Promise<IngestSummary> {
  const source = JSON.stringify(files.map((f) => f.absPath));
  const format = [...new Set(files.map((f) => f.format))].join(',');
  const batch = await beginBatch(store, { kind: 'interactions', source, format });
  const writer = openInteractionWriter(store, batch.id);
  const chunkRows = opts.chunkRows ?? 50_000;
  const progress = { bytesRead: 0, bytesTotal: files.reduce((s, f) => s + f.bytes, 0) };
  const tally = new RejectTally();
  let rowsRead = 0;
  let accepted = 0;
  let pending = 0;
  let stoppedEarly = false;
  try {
    for await (const chunk of parsedChunks(files, opts)) {
      writer.extendDictionaries(chunk.newUsers, chunk.newItems, chunk.newEvents);
      progress.bytesRead = chunk.bytesRead;
      const file = files[chunk.fileIndex].file;
      const { rejects } = chunk;
      let start = 0;
      // Good rows and rejects go in in input order, committing exactly every chunkRows good rows.
      for (let k = 0; k <= rejects.length; k++) {
        const stop = k < rejects.length ? rejects[k].at : chunk.count;
        while (start < stop) {
          const end = Math.min(stop, start + chunkRows - pending);
          writer.addEncoded(chunk, start, end);
          accepted += end - start;
          pending += end - start;
          start = end;
          if (pending >= chunkRows) {
            writer.commit();
            pending = 0;
            opts.onProgress?.({ rowsRead: rowsRead + start + k, bytesRead: progress.bytesRead, bytesTotal: progress.bytesTotal });
          }
        }
        if (k < rejects.length) {
          const row = { file, line: rejects[k].line, raw: rejects[k].raw, reason: rejects[k].reason };
          tally.add(row);
          writer.reject(row);
        }
      }
      rowsRead += chunk.rowsRead;
      // Checked per chunk of input (not per committed chunk), so a file of nothing but bad
      // rows also stops early (leaving the loop terminates the parse worker).
      if (clearlyExceedsMaxErrors(opts.maxErrors, tally.count, rowsRead, progress.bytesRead / Math.max(1, progress.bytesTotal))) {
        stoppedEarly = true;
        break;
      }
    }
    writer.commit();
  } catch (err) {
    const outcome = { rowsRead, rowsInserted: 0, duplicates: accepted - writer.inserted, rejected: tally.count, error: String(err) };
    try {
      writer.abort();
      await rollbackBatch(store, batch.id, outcome);
      await finishBatch(store, batch.id, { ...outcome, status: 'failed' });
    } catch {
      // The original error matters more; the batch stays `running` and a re-run resumes it.
    }
    throw err;
  }
  opts.onProgress?.({ rowsRead, bytesRead: progress.bytesRead, bytesTotal: progress.bytesTotal });
  let inserted = writer.inserted;
  let duplicates = accepted - inserted;
  const base = { kind: 'interactions' as const, batchId: batch.id, resumed: batch.resumed, rowsRead, updated: 0, rejected: tally.count, firstRejects: tally.first };
  if (stoppedEarly || exceedsMaxErrors(opts.maxErrors, tally.count, rowsRead)) {
    const error = `too many rejected rows: ${tally.count} of ${rowsRead}`;
    await rollbackBatch(store, batch.id, { rowsRead, rowsInserted: 0, duplicates, rejected: tally.count, error });
    return { ...base, status: 'rolled_back', inserted: 0, duplicates };
  }
  if (batch.resumed) {
    // Rows a killed run committed under this batch were counted as duplicates above.
    const stored = countBatchInteractions(store, batch.id);
    duplicates = inserted + duplicates - stored;
    inserted = stored;
  }
  await finishBatch(store, batch.id, { status: 'complete', rowsRead, rowsInserted: inserted, duplicates, rejected: tally.count });
  return { ...base, status: 'complete', inserted, duplicates };
}
