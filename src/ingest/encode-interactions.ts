import type { EncodedInteractions } from '../store/index.js';
import { ByteDictionary } from './byte-dictionary.js';
import type { ColumnFlags, InteractionColumnMap } from './columns.js';
import { delimiterOf, type InputFormat } from './input-format.js';
import { scanInteractionBytes, type ByteFields } from './scan-interaction-bytes.js';
import type { MutableInteractionRow } from './interaction-row.js';
import { jsonInteraction } from './json-interaction.js';
import { isValidUtf8, readLineBlocks, readLineChunks, type ReadProgress } from './line-reader.js';
import type { PreparedFile } from './prepare-files.js';
import type { RecordRules } from './record-rules.js';
import { scanInteractionLine } from './scan-interaction-line.js';
import { DelimitedRecordReader } from './delimited-records.js';

/** A refused line of an {@link EncodedChunk}; `at` is how many good rows of the chunk precede it. */
export interface ChunkReject {
  readonly line: number;
  readonly raw: string;
  readonly reason: string;
  readonly at: number;
}

/**
 * The parsed and validated rows of one read of one file, dictionary-encoded: `newUsers`,
 * `newItems` and `newEvents` are the strings first seen in this chunk, appended (in order) to
 * dictionaries that live as long as the run. Plain data and typed arrays, so that a worker
 * thread can transfer it without copying the rows.
 */
export interface EncodedChunk extends EncodedInteractions {
  readonly fileIndex: number;
  readonly newUsers: string[];
  readonly newItems: string[];
  readonly newEvents: string[];
  readonly rejects: ChunkReject[];
  /** Non-empty data records in this chunk (good rows plus rejects); a CSV record may span lines. */
  readonly rowsRead: number;
  /** Bytes read from disk so far, over all files. */
  readonly bytesRead: number;
}

/** The typed arrays of one chunk, recycled between the worker and the main thread. */
export interface ChunkArrays {
  readonly user: Int32Array<ArrayBuffer>;
  readonly item: Int32Array<ArrayBuffer>;
  readonly event: Int32Array<ArrayBuffer>;
  readonly ts: Float64Array<ArrayBuffer>;
  readonly weight: Float64Array<ArrayBuffer>;
}

/** Arrays of at least `capacity` rows: a returned set from `pool` when one is big enough. */
function takeArrays(capacity: number, pool: ChunkArrays[] | undefined): ChunkArrays {
  const k = pool === undefined ? -1 : pool.findIndex((a) => a.user.length >= capacity);
  if (pool !== undefined && k >= 0) return pool.splice(k, 1)[0];
  // Rounded up to a power of two, so that a set fits the next chunks too.
  const n = 2 ** Math.ceil(Math.log2(Math.max(capacity, 1024)));
  return { user: new Int32Array(n), item: new Int32Array(n), event: new Int32Array(n), ts: new Float64Array(n), weight: new Float64Array(n) };
}

/** Accumulates the rows of one chunk; `dicts` outlive it. */
class ChunkBuilder {
  readonly user: Int32Array<ArrayBuffer>;
  readonly item: Int32Array<ArrayBuffer>;
  readonly event: Int32Array<ArrayBuffer>;
  readonly ts: Float64Array<ArrayBuffer>;
  readonly weight: Float64Array<ArrayBuffer>;
  readonly rejects: ChunkReject[] = [];
  count = 0;
  rowsRead = 0;

  constructor(capacity: number, pool: ChunkArrays[] | undefined) {
    ({ user: this.user, item: this.item, event: this.event, ts: this.ts, weight: this.weight } = takeArrays(capacity, pool));
  }

  reject(line: number, raw: string, reason: string): void {
    this.rejects.push({ line, raw, reason, at: this.count });
  }

  /** A row validated by the string path. */
  addRow(d: Dictionaries, r: MutableInteractionRow): void {
    this.push(d.users.indexOfString(r.user), d.items.indexOfString(r.item), d.events.indexOfString(r.event), r.ts, r.weight);
  }

  push(user: number, item: number, event: number, ts: number, weight: number): void {
    const n = this.count++;
    this.user[n] = user;
    this.item[n] = item;
    this.event[n] = event;
    this.ts[n] = ts;
    this.weight[n] = weight;
  }

  finish(d: Dictionaries, fileIndex: number, bytesRead: number): EncodedChunk {
    const { count, user, item, event, ts, weight, rejects, rowsRead } = this;
    const fresh = { newUsers: d.users.takeFresh(), newItems: d.items.takeFresh(), newEvents: d.events.takeFresh() };
    return { fileIndex, count, user, item, event, ts, weight, ...fresh, rejects, rowsRead, bytesRead };
  }
}

interface Dictionaries {
  readonly users: ByteDictionary;
  readonly items: ByteDictionary;
  readonly events: ByteDictionary;
}

/**
 * Reads, parses, validates and dictionary-encodes interaction files, one chunk per read of
 * about 1 MiB. Pure of the store: it never sees internal ids, so it can run in a worker
 * thread while the main thread writes SQLite. `flags` name the JSON Lines fields; `rules` are
 * the records' domain rules; `pool` holds array sets handed back by the consumer, reused so that
 * memory stays flat.
 */
export async function* encodeInteractionChunks(
  files: readonly PreparedFile[],
  flags: ColumnFlags,
  rules: RecordRules,
  pool?: ChunkArrays[],
): AsyncGenerator<EncodedChunk> {
  const progress: ReadProgress = { bytesRead: 0, bytesTotal: files.reduce((s, f) => s + f.bytes, 0) };
  const d: Dictionaries = { users: new ByteDictionary(), items: new ByteDictionary(), events: new ByteDictionary() };
  for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
    const f = files[fileIndex];
    const chunks =
      f.format === 'jsonl' || f.columns === undefined
        ? jsonChunks(f, flags, rules, d, progress, pool)
        : delimitedChunks(f, f.columns, rules, d, progress, pool);
    for await (const b of chunks) if (b.rowsRead > 0) yield b.finish(d, fileIndex, progress.bytesRead);
  }
}

/** JSON Lines: decoded line by line (the string path). */
async function* jsonChunks(
  f: PreparedFile,
  flags: ColumnFlags,
  rules: RecordRules,
  d: Dictionaries,
  progress: ReadProgress,
  pool: ChunkArrays[] | undefined,
): AsyncGenerator<ChunkBuilder> {
  const r: MutableInteractionRow = { user: '', item: '', ts: 0, event: '', weight: 1 };
  for await (const { lines, firstLine, invalidUtf8 } of readLineChunks(f.absPath, progress)) {
    const b = new ChunkBuilder(lines.length, pool);
    for (let k = 0; k < lines.length; k++) {
      const line = lines[k];
      if (line.trim() === '') continue;
      b.rowsRead++;
      const reason = invalidUtf8 !== null && invalidUtf8.has(k) ? 'invalid UTF-8' : jsonInteraction(line, flags, rules, r);
      if (reason === undefined) b.addRow(d, r);
      else b.reject(firstLine + k, line, reason);
    }
    yield b;
  }
}

/**
 * CSV/TSV/atomic: lines are cut from the raw bytes, and a plain line is parsed and encoded
 * straight from them ({@link scanInteractionBytes}); any other record is decoded and goes
 * through the string path, which also gives the reject reason. A CSV record whose quoted
 * field spans lines may run past the end of a block; {@link DelimitedReader} carries it over.
 */
async function* delimitedChunks(
  f: PreparedFile,
  c: InteractionColumnMap,
  rules: RecordRules,
  d: Dictionaries,
  progress: ReadProgress,
  pool: ChunkArrays[] | undefined,
): AsyncGenerator<ChunkBuilder> {
  const reader = new DelimitedReader(f, c, rules, d);
  for await (const buf of readLineBlocks(f.absPath, progress)) {
    // Lines are at least a few bytes long; a block has at most one line per 4 bytes or so,
    // and capacity is only an upper bound for the typed arrays.
    reader.b = new ChunkBuilder(countLines(buf) + reader.openLines, pool);
    reader.block(buf);
    yield reader.b;
  }
  if (reader.openLines > 0) {
    reader.b = new ChunkBuilder(reader.openLines, pool);
    reader.end();
    yield reader.b;
  }
}

/** The interactions of one delimited file: a plain line straight from its bytes, any other record by the string path. */
class DelimitedReader extends DelimitedRecordReader {
  /** The chunk being filled: set before each block. */
  b!: ChunkBuilder;
  private readonly delimiter: string;
  private readonly width: number;
  private readonly r: MutableInteractionRow = { user: '', item: '', ts: 0, event: '', weight: 1 };
  private readonly x: ByteFields = { userStart: 0, userEnd: 0, itemStart: 0, itemEnd: 0, eventStart: 0, eventEnd: 0, ts: 0, weight: 1 };
  private readonly noEvent: number;

  constructor(
    f: PreparedFile,
    private readonly c: InteractionColumnMap,
    private readonly rules: RecordRules,
    private readonly d: Dictionaries,
  ) {
    const delimiter = delimiterOf(f.format as Exclude<InputFormat, 'jsonl'>);
    super(f.headerLine, delimiter.charCodeAt(0), f.format === 'csv');
    this.delimiter = delimiter;
    this.width = f.header.length;
    this.noEvent = d.events.indexOfString('');
  }

  protected override plain(buf: Buffer, a: number, end: number): boolean {
    const { x, d } = this;
    if (!scanInteractionBytes(buf, a, end, this.delimiterByte, this.width, this.c, this.rules, x)) return false;
    const b = this.b;
    b.rowsRead++;
    const event = x.eventEnd > x.eventStart ? d.events.indexOfBytes(buf, x.eventStart, x.eventEnd) : this.noEvent;
    b.push(d.users.indexOfBytes(buf, x.userStart, x.userEnd), d.items.indexOfBytes(buf, x.itemStart, x.itemEnd), event, x.ts, x.weight);
    return true;
  }

  protected override record(bytes: Buffer, line: number): void {
    const text = bytes.toString('utf8');
    if (text.trim() === '') return;
    const b = this.b;
    b.rowsRead++;
    const reason =
      text.includes('\uFFFD') && !isValidUtf8(bytes) ? 'invalid UTF-8' : scanInteractionLine(text, this.delimiter, this.width, this.c, this.rules, this.r);
    if (reason === undefined) b.addRow(this.d, this.r);
    else b.reject(line, text, reason);
  }

  protected override refuse(line: number, raw: string, reason: string): void {
    this.b.rowsRead++;
    this.b.reject(line, raw, reason);
  }
}

function countLines(buf: Buffer): number {
  let n = 1;
  for (let k = buf.indexOf(10); k >= 0; k = buf.indexOf(10, k + 1)) n++;
  return n;
}
