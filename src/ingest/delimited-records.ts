import { countLineFeeds, csvRecordEnd, hasQuote, MAX_CSV_RECORD_BYTES, UNCLOSED_AT_EOF, UNCLOSED_PAST_BOUND } from './csv-records.js';
import { isValidUtf8, readLineBlocks, type LineChunk, type ReadProgress } from './line-reader.js';

/** A CSV record still inside quotes at the end of a block: its bytes so far, each block followed by its line feed. */
interface OpenRecord {
  readonly parts: Buffer[];
  bytes: number;
  /** The physical line it starts on. */
  readonly line: number;
  /** Line feeds in `parts`. */
  lines: number;
}

const LINE_FEED = Buffer.from('\n');

/**
 * Cuts the blocks of whole lines of one delimited file ({@link readLineBlocks}) into records,
 * in order, keeping the line number and any open CSV record from one block to the next (see
 * `csv-records.ts` for the rules). A subclass says what to do with each: {@link plain} may
 * take a line straight from the bytes (the fast path), {@link record} gets any other record,
 * {@link refuse} a line refused for quotes that do not close. Lines up to `headerLine` and
 * empty lines are skipped; a record's number is that of the physical line it starts on.
 */
export abstract class DelimitedRecordReader {
  /** The number of the line last read. */
  protected lineNo = 0;
  private open: OpenRecord | undefined;

  /**
   * @param multiline true for CSV, whose quoted fields may span lines; in TSV and atomic files a quoted field ends with its line
   */
  constructor(
    private readonly headerLine: number,
    protected readonly delimiterByte: number,
    private readonly multiline: boolean,
  ) {}

  /** Tries the byte fast path on the line `buf[a..end)` (a final CR already left out): true when it took the line. */
  protected abstract plain(buf: Buffer, a: number, end: number): boolean;

  /** A record for the string path (several lines for a CSV quoted field with line breaks), from its first line `line`. */
  protected abstract record(bytes: Buffer, line: number): void;

  /** Line `line`, whose text is `raw`, refused for `reason` before it was parsed. */
  protected abstract refuse(line: number, raw: string, reason: string): void;

  /** Line feeds held by an open record, plus one (0 when none is open): an upper bound on the records it may still give. */
  get openLines(): number {
    return this.open === undefined ? 0 : this.open.lines + 1;
  }

  /** Reads one block of whole lines (the block after it starts on the next line). */
  block(buf: Buffer): void {
    const open = this.open;
    if (open === undefined) return this.lines(buf, 0);
    const end = csvRecordEnd(buf, 0, this.delimiterByte, true);
    const bytes = open.bytes + (end < 0 ? buf.length + 1 : end);
    if (bytes > MAX_CSV_RECORD_BYTES) return this.reread(Buffer.concat([...open.parts, buf]), UNCLOSED_PAST_BOUND);
    if (end < 0) {
      open.parts.push(buf, LINE_FEED);
      open.bytes = bytes;
      open.lines += countLineFeeds(buf, 0, buf.length) + 1;
      return;
    }
    this.open = undefined;
    this.lineNo = open.line + open.lines + countLineFeeds(buf, 0, end);
    this.record(Buffer.concat([...open.parts, buf.subarray(0, withoutCr(buf, 0, end))]), open.line);
    if (end < buf.length) this.lines(buf, end + 1);
  }

  /** At the end of the file: a record still inside quotes is refused by its first line, and the lines after it are read again. */
  end(): void {
    for (let open = this.open; open !== undefined; open = this.open) this.reread(Buffer.concat(open.parts.slice(0, -1)), UNCLOSED_AT_EOF);
  }

  /** Refuses the first line of the open record (whose bytes, with all after them, are `all`) and reads the lines after it as new records. */
  private reread(all: Buffer, reason: string): void {
    const line = this.open?.line ?? this.lineNo;
    this.open = undefined;
    const first = this.refuseLine(all, 0, line, reason);
    this.lineNo = line;
    if (first < all.length) this.lines(all, first + 1);
  }

  /** Refuses the line that starts at `buf[a]` as line `line`; returns where it ends. */
  private refuseLine(buf: Buffer, a: number, line: number, reason: string): number {
    let end = buf.indexOf(10, a);
    if (end < 0) end = buf.length;
    this.refuse(line, buf.toString('utf8', a, withoutCr(buf, a, end)), reason);
    return end;
  }

  /** The lines of `buf` from offset `from`, each a record unless a CSV quoted field carries it over the next ones. */
  private lines(buf: Buffer, from: number): void {
    const { headerLine } = this;
    let lineNo = this.lineNo;
    for (let a = from; a <= buf.length;) {
      let end = buf.indexOf(10, a);
      if (end < 0) end = buf.length;
      let next = end + 1;
      end = withoutCr(buf, a, end);
      lineNo++;
      if (lineNo > headerLine && end > a && !this.plain(buf, a, end)) {
        this.lineNo = lineNo;
        if (this.multiline && hasQuote(buf, a, end)) next = this.quoted(buf, a);
        else this.record(buf.subarray(a, end), lineNo);
        lineNo = this.lineNo;
      }
      a = next;
      if (next > buf.length) break;
    }
    this.lineNo = lineNo;
  }

  /**
   * A CSV record that starts at `buf[a]` (on line `lineNo`) and holds a quote: it ends on this
   * line, or on a later one of this block, or is carried over to the next block. Returns where
   * the next record starts (past the end of `buf` when the record is carried over), with
   * `lineNo` moved to the record's last line.
   */
  private quoted(buf: Buffer, a: number): number {
    const end = csvRecordEnd(buf, a, this.delimiterByte, false);
    const bytes = end < 0 ? buf.length + 1 - a : end - a;
    // Too long: this line alone is refused, and the next one read as a new record.
    if (bytes > MAX_CSV_RECORD_BYTES) return this.refuseLine(buf, a, this.lineNo, UNCLOSED_PAST_BOUND) + 1;
    if (end < 0) {
      this.open = { parts: [buf.subarray(a), LINE_FEED], bytes, line: this.lineNo, lines: countLineFeeds(buf, a, buf.length) + 1 };
      return buf.length + 1;
    }
    const line = this.lineNo;
    this.lineNo += countLineFeeds(buf, a, end);
    this.record(buf.subarray(a, withoutCr(buf, a, end)), line);
    return end + 1;
  }
}

/** `end`, less one when the line `buf[a..end)` ends with a CR (of a CRLF). */
function withoutCr(buf: Uint8Array, a: number, end: number): number {
  return end > a && buf[end - 1] === 13 ? end - 1 : end;
}

/** Collects the records of a users/items file (CSV, TSV or atomic) as text, for the string path. */
class TextRecords extends DelimitedRecordReader {
  records: string[] = [];
  private numbers: number[] = [];
  private invalid: Set<number> | null = null;
  private refused = new Map<number, string>();

  protected override plain(): boolean {
    return false;
  }

  protected override record(bytes: Buffer, line: number): void {
    const text = bytes.toString('utf8');
    if (text.includes('\uFFFD') && !isValidUtf8(bytes)) (this.invalid ??= new Set()).add(this.records.length);
    this.records.push(text);
    this.numbers.push(line);
  }

  protected override refuse(line: number, raw: string, reason: string): void {
    this.refused.set(this.records.length, reason);
    this.records.push(raw);
    this.numbers.push(line);
  }

  /** What was read since the last call, as a chunk. */
  take(): RecordChunk {
    const chunk: RecordChunk = {
      lines: this.records,
      firstLine: this.numbers[0] ?? 0,
      lineNumbers: this.numbers,
      invalidUtf8: this.invalid,
      refused: this.refused,
    };
    this.records = [];
    this.numbers = [];
    this.invalid = null;
    this.refused = new Map();
    return chunk;
  }
}

/** A {@link LineChunk} of records, each with the number of the line it starts on. */
export type RecordChunk = LineChunk & Required<Pick<LineChunk, 'lineNumbers' | 'refused'>>;

/**
 * The data records of a delimited users/items file (lines after `headerLine`), in chunks, as
 * text: one per line, except that in CSV (`multiline`) a quoted field may span lines.
 */
export async function* readRecordChunks(
  file: string,
  headerLine: number,
  delimiter: string,
  multiline: boolean,
  progress?: ReadProgress,
): AsyncGenerator<RecordChunk> {
  const reader = new TextRecords(headerLine, delimiter.charCodeAt(0), multiline);
  for await (const buf of readLineBlocks(file, progress)) {
    reader.block(buf);
    if (reader.records.length > 0) yield reader.take();
  }
  reader.end();
  if (reader.records.length > 0) yield reader.take();
}
