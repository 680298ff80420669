/**
 * CSV records that span lines (RFC 4180): a quoted field may hold line breaks (LF, CRLF or a
 * lone CR, all kept as they are), so one record may run over several physical lines. Only CSV
 * does this; in TSV and atomic files a quoted field ends with its line, as it always has.
 *
 * A record goes on past a line feed only while it is well-formed so far and that line feed sits
 * inside a quoted field: a quote that opens a field, `""` inside one, a closing quote followed
 * by the delimiter or the line end. A misplaced quote (`a"b`, `"a"b`) ends the record at its
 * own line, as before, so one stray quote cannot swallow the lines after it.
 *
 * A record that is still inside quotes at the end of the file, or that would span more than
 * {@link MAX_CSV_RECORD_BYTES}, is refused by its first line alone (that line is the reject),
 * and reading resumes at the next line, so that the rows after a genuinely unbalanced quote
 * are read, not lost. Because every quote of a well-formed record flips "inside quotes", a
 * line inside such a runaway record can never itself start one: the re-read is linear.
 */

/** The most bytes one CSV record may span, its line breaks included (1 MiB). */
export const MAX_CSV_RECORD_BYTES = 1 << 20;

const LF = 10;
const QUOTE = 34;

// The states of the scan; only IN_QUOTES carries a record past a line feed.
const FIELD_START = 0;
const UNQUOTED = 1;
const IN_QUOTES = 2;
/** A quote seen inside quotes: the next byte says whether it was `""` or the closing quote. */
const QUOTE_IN_QUOTES = 3;
/** Malformed quoting: the record ends with its line. */
const BROKEN = 4;

/**
 * Where the CSV record that starts at `buf[a]` ends: the index of the line feed that ends it
 * (or `buf.length`, when the buffer ends there), or -1 when `buf` ends inside a quoted field.
 * `inQuotes` starts the scan inside a quoted field (for a record carried over from an earlier
 * buffer, whose bytes so far ended with a line feed inside quotes). The line feed returned is
 * the end of the record's last line; a CR before it is the caller's to strip.
 */
export function csvRecordEnd(buf: Uint8Array, a: number, delimiter: number, inQuotes: boolean): number {
  let state = inQuotes ? IN_QUOTES : FIELD_START;
  const n = buf.length;
  for (let k = a; k < n; k++) {
    const ch = buf[k];
    if (state === IN_QUOTES) {
      const q = buf.indexOf(QUOTE, k);
      if (q < 0) return -1;
      k = q;
      state = QUOTE_IN_QUOTES;
    } else if (ch === LF) {
      return k;
    } else if (state === QUOTE_IN_QUOTES) {
      // After a closing quote only the delimiter or the line end (a CR then LF) may follow;
      // anything else, a CR included, is broken, which ends the record at this line all the same.
      state = ch === QUOTE ? IN_QUOTES : ch === delimiter ? FIELD_START : BROKEN;
    } else if (state === FIELD_START) {
      state = ch === QUOTE ? IN_QUOTES : ch === delimiter ? FIELD_START : UNQUOTED;
    } else if (state === UNQUOTED) {
      if (ch === QUOTE) state = BROKEN;
      else if (ch === delimiter) state = FIELD_START;
    }
  }
  return state === IN_QUOTES ? -1 : n;
}

/** Number of line feeds in `buf[a..b)`. */
export function countLineFeeds(buf: Uint8Array, a: number, b: number): number {
  let n = 0;
  for (let k = buf.indexOf(LF, a); k >= 0 && k < b; k = buf.indexOf(LF, k + 1)) n++;
  return n;
}

/** True when `buf[a..b)` holds a double quote. */
export function hasQuote(buf: Uint8Array, a: number, b: number): boolean {
  const q = buf.indexOf(QUOTE, a);
  return q >= 0 && q < b;
}

/** The reject reason of a record that is still inside quotes at the end of the file. */
export const UNCLOSED_AT_EOF =
  'unbalanced quotes: the quoted field opened on this line is not closed by the end of the file (the next lines are read as new records)';

/** The reject reason of a record longer than {@link MAX_CSV_RECORD_BYTES}. */
export const UNCLOSED_PAST_BOUND = `unbalanced quotes: the quoted field opened on this line is not closed within ${MAX_CSV_RECORD_BYTES} bytes, the most a CSV record may span (the next lines are read as new records)`;
