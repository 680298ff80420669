import { beginBatch, finishBatch, insertRejects, openEntityWriter, widenKind, type FeatureKind, type RejectedRow, type Store } from '../store/index.js';
import { INTERACTION_FIELD_NAMES } from './columns.js';
import { FeatureColumns } from './entity-features.js';
import { RejectTally, type IngestOptions, type IngestSummary } from './ingest-options.js';
import { delimiterOf } from './input-format.js';
import { readLineChunks, type ReadProgress } from './line-reader.js';
import { clearlyExceedsMaxErrors, exceedsMaxErrors } from './max-errors.js';
import type { PreparedFile } from './prepare-files.js';
import { splitDelimited } from './split-delimited.js';

/**
 * Loads user or item side-feature files as one batch in one transaction: features are
 * upserted (merged into an existing entity's), feature kinds recorded in `feature_fields`.
 * Past --max-errors everything is rolled back and only the batch record and its rejects stay.
 */
export async function ingestEntities(
  store: Store,
  kind: 'users' | 'items',
  files: readonly PreparedFile[],
  opts: IngestOptions,
): Promise<IngestSummary> {
  const entity = kind === 'users' ? 'user' : 'item';
  const source = JSON.stringify(files.map((f) => f.absPath));
  const format = [...new Set(files.map((f) => f.format))].join(',');
  const batch = await beginBatch(store, { kind, source, format });
  const writer = openEntityWriter(store, entity, batch.id);
  const progress: ReadProgress = { bytesRead: 0, bytesTotal: files.reduce((s, f) => s + f.bytes, 0) };
  const tally = new RejectTally();
  const rejects: RejectedRow[] = [];
  const kinds = new Map<string, FeatureKind>();
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  let rowsRead = 0;
  let stoppedEarly = false;
  try {
    outer: for (const f of files) {
      const reject = (line: number, raw: string, reason: string): void => {
        const row = { file: f.file, line, raw, reason };
        tally.add(row);
        rejects.push(row);
      };
      const idCol = f.idColumn ?? -1;
      const features = new FeatureColumns(f.header, idCol, f.format === 'atomic' ? ' ' : opts.multiSep, opts.multiSep, opts);
      const flag = entity === 'user' ? opts.userCol : opts.itemCol;
      const idKeys = flag !== undefined ? [flag] : [...INTERACTION_FIELD_NAMES[entity], 'id'];
      for await (const { lines, firstLine, invalidUtf8 } of readLineChunks(f.absPath, progress)) {
        for (let k = 0; k < lines.length; k++) {
          const lineNo = firstLine + k;
          const line = lines[k];
          if (lineNo <= f.headerLine || line.trim() === '') continue;
          rowsRead++;
          if (invalidUtf8 !== null && invalidUtf8.has(k)) {
            reject(lineNo, line, 'invalid UTF-8');
            continue;
          }
          let id: string;
          let values;
          if (f.format === 'jsonl') {
            let obj: unknown;
            try {
              obj = JSON.parse(line);
            } catch {
              reject(lineNo, line, 'malformed JSON');
              continue;
            }
            if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
              reject(lineNo, line, 'not a JSON object');
              continue;
            }
            const o = obj as Record<string, unknown>;
            const idKey = idKeys.find((key) => typeof o[key] === 'string' || typeof o[key] === 'number');
            id = idKey === undefined ? '' : String(o[idKey]).trim();
            values = idKey === undefined ? '' : features.parseJson(o, idKey);
          } else {
            const cells = splitDelimited(line, delimiterOf(f.format));
            if (cells === undefined || (cells.length !== f.header.length && !onlyTrailingEmpty(cells, f.header.length))) {
              reject(lineNo, line, cells === undefined ? 'unbalanced quotes' : `expected ${f.header.length} fields, found ${cells.length}`);
              continue;
            }
            id = cells[idCol].trim();
            values = features.parse(cells);
          }
          if (id === '') {
            reject(lineNo, line, `missing ${entity} id`);
            continue;
          }
          if (typeof values === 'string') {
            reject(lineNo, line, values);
            continue;
          }
          counts[writer.upsert(id, values)]++;
        }
        opts.onProgress?.({ rowsRead, bytesRead: progress.bytesRead, bytesTotal: progress.bytesTotal });
        if (clearlyExceedsMaxErrors(opts.maxErrors, tally.count, rowsRead, progress.bytesRead / Math.max(1, progress.bytesTotal))) {
          stoppedEarly = true;
          break outer;
        }
      }
      for (const [name, k] of features.kinds) kinds.set(name, widenKind(kinds.get(name) ?? k, k));
    }
  } catch (err) {
    writer.abort();
    insertRejects(store, batch.id, rejects);
    await finishBatch(store, batch.id, { status: 'failed', rowsRead, rowsInserted: 0, duplicates: 0, rejected: tally.count, error: String(err) });
    throw err;
  }
  opts.onProgress?.({ rowsRead, bytesRead: progress.bytesRead, bytesTotal: progress.bytesTotal });
  const base = { kind, batchId: batch.id, resumed: batch.resumed, rowsRead, rejected: tally.count, firstRejects: tally.first };
  if (stoppedEarly || exceedsMaxErrors(opts.maxErrors, tally.count, rowsRead)) {
    writer.abort();
    insertRejects(store, batch.id, rejects);
    const error = `too many rejected rows: ${tally.count} of ${rowsRead}`;
    await finishBatch(store, batch.id, { status: 'rolled_back', rowsRead, rowsInserted: 0, duplicates: 0, rejected: tally.count, error });
    return { ...base, status: 'rolled_back', inserted: 0, updated: 0, duplicates: 0 };
  }
  writer.declareFields(kinds);
  for (const r of rejects) writer.reject(r);
  writer.commit();
  await finishBatch(store, batch.id, {
    status: 'complete',
    rowsRead,
    rowsInserted: counts.inserted,
    duplicates: counts.unchanged,
    rejected: tally.count,
  });
  return { ...base, status: 'complete', inserted: counts.inserted, updated: counts.updated, duplicates: counts.unchanged };
}

/**
 * True when the cells past `width` are all empty: a delimiter at the end of every line (as
 * book-crossing's feature files have) adds a field that holds nothing, whereas a stray
 * delimiter inside a value shifts every later column, and that row must be rejected.
 */
function onlyTrailingEmpty(cells: readonly string[], width: number): boolean {
  if (cells.length < width) return false;
  for (let k = width; k < cells.length; k++) if (cells[k].trim() !== '') return false;
  return true;
}
