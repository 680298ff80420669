import fs from 'node:fs';
import zlib from 'node:zlib';
import { pipeline, type Readable } from 'node:stream';
import { UserError } from '../common/user-error.js';

/**
 * A run of consecutive lines from one file. `lines[k]` is line `firstLine + k` (1-based),
 * without its line ending. Lines whose bytes are not valid UTF-8 are decoded lossily and their
 * indexes listed in `invalidUtf8`, so the caller can reject them with the right line number.
 */
export interface LineChunk {
  readonly lines: readonly string[];
  readonly firstLine: number;
  readonly invalidUtf8: ReadonlySet<number> | null;
  /** When set, `lines[k]` is a record that starts on line `lineNumbers[k]` (a CSV record may span lines). */
  readonly lineNumbers?: readonly number[];
  /** Records refused while they were cut (a CSV quote that does not close), by index, with the reason. */
  readonly refused?: ReadonlyMap<number, string>;
}

/** Progress through the (possibly compressed) file, in bytes read from disk. */
export interface ReadProgress {
  bytesRead: number;
  readonly bytesTotal: number;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** True when `bytes` are well-formed UTF-8. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Opens a file as a byte stream, gunzipping when its name ends in `.gz`. */
export function openByteStream(file: string, progress?: ReadProgress): Readable {
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  if (progress !== undefined) raw.on('data', (b: Buffer | string) => (progress.bytesRead += b.length));
  // pipeline (not pipe) forwards a read error to the gunzip stream and destroys both together.
  return file.endsWith('.gz') ? pipeline(raw, zlib.createGunzip(), () => {}) : raw;
}

/**
 * Streams the lines of a file in chunks, in constant memory (one read buffer plus one
 * partial line). Each chunk is decoded with one native call up to its last newline, so a
 * multi-byte character is never split; only when the decoder had to substitute U+FFFD are
 * that chunk's lines checked one by one with a strict decoder.
 */
export async function* readLineChunks(file: string, progress?: ReadProgress): AsyncGenerator<LineChunk> {
  let lineNo = 1;
  const emit = (bytes: Buffer): LineChunk => {
    const text = bytes.toString('utf8');
    const lines = text.split('\n');
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
    for (let k = 0; k < lines.length; k++) {
      const l = lines[k];
      if (l.length > 0 && l.charCodeAt(l.length - 1) === 13) lines[k] = l.slice(0, -1);
    }
    let invalid: Set<number> | null = null;
    if (text.includes('\uFFFD')) {
      invalid = new Set();
      let start = 0;
      for (let k = 0; k < lines.length; k++) {
        let end = bytes.indexOf(10, start);
        if (end < 0) end = bytes.length;
        if (!isValidUtf8(bytes.subarray(start, end))) invalid.add(k);
        start = end + 1;
      }
    }
    const chunk = { lines, firstLine: lineNo, invalidUtf8: invalid };
    lineNo += lines.length;
    return chunk;
  };
  const stream = openByteStream(file, progress);
  try {
    yield* splitAtNewlines(file, stream, emit);
  } finally {
    // Also runs when the consumer stops early, closing the file.
    stream.destroy();
  }
}

/** Cuts the byte stream after its last newline of each read, carrying the partial line over. */
async function* splitAtNewlines<T>(file: string, stream: Readable, emit: (bytes: Buffer) => T): AsyncGenerator<T> {
  let carry: Buffer = Buffer.alloc(0);
  const chunks = stream[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<unknown>;
    try {
      next = await chunks.next();
    } catch (err) {
      // Only read errors land here (a truncated gzip, a vanished file), not the consumer's.
      throw new UserError(`${file}: cannot read: ${err instanceof Error ? err.message : String(err)}`, 1);
    }
    if (next.done === true) break;
    const buf = next.value as Buffer;
    const last = buf.lastIndexOf(10);
    if (last < 0) {
      carry = carry.length === 0 ? buf : Buffer.concat([carry, buf]);
      continue;
    }
    const head = carry.length === 0 ? buf.subarray(0, last) : Buffer.concat([carry, buf.subarray(0, last)]);
    carry = Buffer.from(buf.subarray(last + 1));
    yield emit(head);
  }
  if (carry.length > 0) yield emit(carry);
}

/**
 * Streams a file as blocks of whole lines (each block ends where a line ends; its last line
 * has no newline), in constant memory, for parsers that work on bytes. Lines are separated by
 * `\n`; a `\r` before it and a byte-order mark are left to the caller.
 */
export async function* readLineBlocks(file: string, progress?: ReadProgress): AsyncGenerator<Buffer> {
  const stream = openByteStream(file, progress);
  try {
    yield* splitAtNewlines(file, stream, (bytes) => bytes);
  } finally {
    stream.destroy();
  }
}
