import {
  beginBatch,
  countBatchInteractions,
  finishBatch,
  openInteractionWriter,
  rollbackBatch,
  type Store,
} from '../store/index.js';
import { delimiterOf } from './input-format.js';
import { validateInteractionInto, type MutableInteractionRow } from './interaction-row.js';
import { scanInteractionLine } from './scan-interaction-line.js';
import { RejectTally, type IngestOptions, type IngestSummary } from './ingest-options.js';
import { readLineChunks, type ReadProgress } from './line-reader.js';
import { clearlyExceedsMaxErrors, exceedsMaxErrors } from './max-errors.js';
import type { PreparedFile } from './prepare-files.js';
import { INTERACTION_FIELD_NAMES } from './columns.js';

/**
 * Streams interaction files into the store as one batch, committing every `chunkRows` rows so
 * that memory stays flat and a killed run leaves a `running` batch that re-running the same
 * command resumes (rows already stored count as duplicates). When the rejects exceed
 * --max-errors, the batch is rolled back but its record and rejects are kept.
 */
export async function ingestInteractions(store: Store, files: readonly PreparedFile[], opts: IngestOptions): Promise<IngestSummary> {
  const source = JSON.stringify(files.map((f) => f.absPath));
  const format = [...new Set(files.map((f) => f.format))].join(',');
  const batch = await beginBatch(store, { kind: 'interactions', source, format });
  const writer = openInteractionWriter(store, batch.id);
  const chunkRows = opts.chunkRows ?? 50_000;
  const progress: ReadProgress = { bytesRead: 0, bytesTotal: files.reduce((s, f) => s + f.bytes, 0) };
  const tally = new RejectTally();
  const r: MutableInteractionRow = { user: '', item: '', ts: 0, event: '', weight: 1 };
  let rowsRead = 0;
  let accepted = 0;
  let pending = 0;
  let stoppedEarly = false;
  try {
    outer: for (const f of files) {
      const reject = (line: number, raw: string, reason: string): void => {
        const row = { file: f.file, line, raw, reason };
        tally.add(row);
        writer.reject(row);
      };
      const delimiter = f.format === 'jsonl' ? '' : delimiterOf(f.format);
      const width = f.header.length;
      const c = f.columns;
      for await (const chunk of readLineChunks(f.absPath, progress)) {
        const { lines, firstLine, invalidUtf8 } = chunk;
        for (let k = 0; k < lines.length; k++) {
          const lineNo = firstLine + k;
          const line = lines[k];
          if (lineNo <= f.headerLine || line.length === 0 || line.trim() === '') continue;
          rowsRead++;
          if (invalidUtf8 !== null && invalidUtf8.has(k)) {
            reject(lineNo, line, 'invalid UTF-8');
            continue;
          }
          const reason = c !== undefined ? scanInteractionLine(line, delimiter, width, c, r) : jsonInteraction(line, opts, r);
          if (reason !== undefined) {
            reject(lineNo, line, reason);
            continue;
          }
          writer.add(r.user, r.item, r.ts, r.event, r.weight);
          accepted++;
          if (++pending >= chunkRows) {
            writer.commit();
            pending = 0;
            opts.onProgress?.({ rowsRead, bytesRead: progress.bytesRead, bytesTotal: progress.bytesTotal });
          }
        }
        // Checked per chunk of input (not per committed chunk), so a file of nothing but bad
        // rows also stops early.
        if (clearlyExceedsMaxErrors(opts.maxErrors, tally.count, rowsRead, progress.bytesRead / Math.max(1, progress.bytesTotal))) {
          stoppedEarly = true;
          break outer;
        }
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

const pick = (obj: Record<string, unknown>, names: readonly string[]): unknown => {
  for (const n of names) if (obj[n] !== undefined) return obj[n];
  return undefined;
};

/** Reads one JSON Lines interaction; values may be strings or numbers. */
function jsonInteraction(line: string, opts: IngestOptions, out: MutableInteractionRow): string | undefined {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return 'malformed JSON';
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return 'not a JSON object';
  const o = obj as Record<string, unknown>;
  const names = (flag: string | undefined, field: keyof typeof INTERACTION_FIELD_NAMES): readonly string[] =>
    flag !== undefined ? [flag] : INTERACTION_FIELD_NAMES[field];
  const fields = [
    pick(o, names(opts.userCol, 'user')),
    pick(o, names(opts.itemCol, 'item')),
    pick(o, names(opts.timeCol, 'time')),
    pick(o, names(opts.ratingCol, 'rating')),
    pick(o, names(opts.eventCol, 'event')),
  ];
  const text: (string | undefined)[] = [];
  for (const v of fields) {
    if (v === undefined || v === null) text.push(undefined);
    else if (typeof v === 'string') text.push(v);
    else if (typeof v === 'number') text.push(String(v));
    else return `bad value ${JSON.stringify(v)}`;
  }
  return validateInteractionInto(out, text[0], text[1], text[2], text[3], text[4]);
}
