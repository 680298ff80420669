import type { BatchKind, RejectedRow } from '../store/index.js';
import type { ColumnFlags } from './columns.js';
import type { FeatureCellRules } from './feature-cell-rules.js';
import type { InputFormat } from './input-format.js';
import type { MaxErrors } from './max-errors.js';
import type { RecordRules } from './record-rules.js';

/** Progress of a running ingest, reported every few thousand rows. */
export interface IngestProgress {
  readonly rowsRead: number;
  readonly bytesRead: number;
  readonly bytesTotal: number;
}

/** Options of one ingest run (the `contrarec ingest` flags, parsed); the cell rules apply to users/items files. */
export interface IngestOptions extends ColumnFlags, FeatureCellRules {
  readonly format?: InputFormat;
  readonly maxErrors: MaxErrors;
  /** The records' domain rules (`--time-range`, `--rating-range`, `--weight-range`); default {@link DEFAULT_RECORD_RULES}. */
  readonly rules?: RecordRules;
  /** Separator of multi-valued features in CSV/TSV/JSONL-less files (default `|`). */
  readonly multiSep: string;
  /** Rows per committed transaction for interactions (default 50,000). */
  readonly chunkRows?: number;
  readonly onProgress?: (p: IngestProgress) => void;
}

/** What an ingest did. `status` is `rolled_back` when --max-errors was exceeded. */
export interface IngestSummary {
  readonly kind: BatchKind;
  readonly batchId: number;
  /** True when this run completed a batch left `running` by a killed run. */
  readonly resumed: boolean;
  readonly status: 'complete' | 'rolled_back';
  readonly rowsRead: number;
  /** New interactions, or new users/items. */
  readonly inserted: number;
  /** Existing users/items whose features changed (0 for interactions). */
  readonly updated: number;
  /** Rows already stored (same user, item, ts, event; or unchanged features). */
  readonly duplicates: number;
  readonly rejected: number;
  /** The first few rejected rows, for messages. */
  readonly firstRejects: readonly RejectedRow[];
}

/** Counts rejects and keeps the first few for the error message. */
export class RejectTally {
  count = 0;
  readonly first: RejectedRow[] = [];

  add(row: RejectedRow): void {
    this.count++;
    if (this.first.length < 5) this.first.push(row);
  }
}

/** Formats the first rejects as `file:line: reason` lines. */
export function describeRejects(rows: readonly RejectedRow[]): string {
  return rows.map((r) => `${r.file}:${r.line}: ${r.reason}`).join('\n');
}
