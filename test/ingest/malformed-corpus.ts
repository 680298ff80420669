/**
 * The malformed-file corpus (issue 19): hostile or broken input files generated at test time
 * (never committed), each with the command line that ingests it and what must happen. Every
 * file's good rows repeat the seed rows ({@link SEED}), so a database seeded with them must come
 * out of any case with the same interactions, users, items and feature fields.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** The good rows every case's database holds before the case runs. */
export const SEED = {
  interactions: 'user,item,ts,rating\nu1,i1,1000000000,5\nu1,i2,1000000100,3\nu2,i1,1000000200,4\nu3,i3,1000000300,1\n',
  items: 'item,genre,year\ni1,drama,1999\ni2,comedy,2001\ni3,drama,1987\n',
  users: 'user,age\nu1,31\nu2,45\nu3,27\n',
} as const;

/** One malformed file, how it is ingested, and what the CLI must answer. */
export interface CorpusCase {
  readonly name: string;
  readonly kind: 'interactions' | 'users' | 'items';
  /** The file's name (its extension picks the format) and bytes. */
  readonly file: string;
  readonly bytes: Buffer;
  /** Flags after the file (--db is added by the test). */
  readonly flags?: readonly string[];
  readonly exitCode: number;
  /** Each rejected line with its reason (a string, or a pattern where another agent's reader may word it). */
  readonly rejects?: readonly { readonly line: number; readonly reason: string | RegExp }[];
  /** Text stderr must hold (the path of the file is put in for `FILE`). */
  readonly stderr?: readonly string[];
}

const HEADER = 'user,item,ts,rating';
/** The seed's interactions again: duplicates, so a kept batch changes nothing. */
const GOOD = ['u1,i1,1000000000,5', 'u2,i1,1000000200,4'];
/** Lets a batch with rejects be kept, so that its rejects are printed and recorded. */
const KEEP = ['--max-errors', '1000'];

const utf8 = (lines: readonly string[], eol = '\n'): Buffer => Buffer.from(lines.join(eol) + eol, 'utf8');
/** An interactions CSV: the header, the good rows, then `bad` (so bad line k is line k + 4). */
const withBad = (bad: readonly string[]): Buffer => utf8([HEADER, ...GOOD, ...bad]);
const at = (reasons: readonly (string | RegExp)[], first = 4): { line: number; reason: string | RegExp }[] =>
  reasons.map((reason, k) => ({ line: first + k, reason }));

const TIME_RANGE = '(--time-range 1970-01-01..2100-01-01)';

/** Cases of the record rules: time, ratings and weights, ids. */
function ruleCases(): CorpusCase[] {
  return [
    {
      name: 'timestamps outside 1970..2100 (and outside the Date range)',
      kind: 'interactions',
      file: 'time-range.csv',
      bytes: withBad(['u1,i3,8640000000001,1', 'u1,i3,-999999999999999,1', 'u1,i3,4102444801,1', 'u1,i3,-1,1', 'u1,i3,2100-01-02,1']),
      flags: KEEP,
      exitCode: 0,
      rejects: at([
        `timestamp 8640000000001 out of range ${TIME_RANGE}`,
        `timestamp -999999999999999 out of range ${TIME_RANGE}`,
        `timestamp 4102444801 out of range ${TIME_RANGE}`,
        `timestamp -1 out of range ${TIME_RANGE}`,
        `timestamp 2100-01-02 out of range ${TIME_RANGE}`,
      ]),
    },
    {
      name: 'a narrower --time-range, named in the reason',
      kind: 'interactions',
      file: 'time-flag.csv',
      bytes: withBad(['u1,i3,946684799,1']),
      flags: [...KEEP, '--time-range', '2000-01-01..2010-01-01'],
      exitCode: 0,
      rejects: at(['timestamp 946684799 out of range (--time-range 2000-01-01..2010-01-01)']),
    },
    {
      name: 'ratings: negative, overflowing, hex, NaN, Infinity',
      kind: 'interactions',
      file: 'ratings.csv',
      bytes: withBad(['u1,i3,1,-1', 'u1,i3,1,1e308', 'u1,i3,1,-1e308', 'u1,i3,1,1e309', 'u1,i3,1,0x10', 'u1,i3,1,NaN', 'u1,i3,1,-Infinity']),
      flags: KEEP,
      exitCode: 0,
      rejects: at([
        'rating -1 out of range (--rating-range 0..1e15)',
        'rating 1e308 out of range (|x| ≤ 1e15)',
        'rating -1e308 out of range (|x| ≤ 1e15)',
        'rating 1e309 out of range (|x| ≤ 1e15)',
        'bad rating "0x10"',
        'bad rating "NaN"',
        'bad rating "-Infinity"',
      ]),
    },
    {
      name: 'weights: negative and overflowing (--weight-col)',
      kind: 'interactions',
      file: 'weights.csv',
      bytes: utf8(['user,item,ts,hours', 'u1,i1,1000000000,5', 'u1,i3,1,-1', 'u1,i3,1,1e309', 'u1,i3,1,0x10']),
      flags: [...KEEP, '--weight-col', 'hours'],
      exitCode: 0,
      rejects: at(['weight -1 out of range (--weight-range 0..1e15)', 'weight 1e309 out of range (|x| ≤ 1e15)', 'bad weight "0x10"'], 3),
    },
    {
      name: 'ids: NUL, tab, C1, zero-width, bidi override and isolate, 513 bytes, empty',
      kind: 'interactions',
      file: 'ids.csv',
      bytes: withBad([
        'u\u00001,i3,1,1',
        'u\t1,i3,1,1',
        'u\u00851,i3,1,1',
        'u1,i\u200b3,1,1',
        'u\u202e1,i3,1,1',
        'u1,\u2066i3,1,1',
        `${'é'.repeat(257)},i3,1,1`,
        ',i3,1,1',
      ]),
      flags: KEEP,
      exitCode: 0,
      rejects: at([
        'user id has a control character U+0000 at 1',
        'user id has a control character U+0009 at 1',
        'user id has a control character U+0085 at 1',
        'item id has a zero-width character U+200B at 1',
        'user id has a bidi control U+202E at 1',
        'item id has a bidi control U+2066 at 0',
        'user id too long (over 512 UTF-8 bytes)',
        'missing user id',
      ]),
    },
    {
      name: 'JSON Lines get the same rules',
      kind: 'interactions',
      file: 'rules.jsonl',
      bytes: utf8([
        '{"user":"u1","item":"i1","ts":1000000000,"rating":5}',
        '{"user":"u1","item":"i3","ts":8640000000001}',
        '{"user":"u1","item":"i3","ts":1,"rating":1e400}',
        '{"user":"u1\\u202e","item":"i3","ts":1}',
        '{"user":"u1","item":"i3","ts":1,"rating":"0x10"}',
      ]),
      flags: KEEP,
      exitCode: 0,
      rejects: at(
        [`timestamp 8640000000001 out of range ${TIME_RANGE}`, 'bad rating "Infinity"', 'user id has a bidi control U+202E at 2', 'bad rating "0x10"'],
        2,
      ),
    },
    {
      name: 'an entity id with a forbidden character',
      kind: 'items',
      file: 'item-ids.csv',
      bytes: utf8(['item,genre,year', 'i1,drama,1999', 'i\u200d9,drama,2000']),
      flags: KEEP,
      exitCode: 0,
      rejects: at(['item id has a zero-width character U+200D at 1'], 3),
    },
  ];
}

/** A gzip cut 20 bytes short: its head reads (so the command starts), its end does not. */
function truncatedGzip(): Buffer {
  const whole = zlib.gzipSync(Buffer.from(`${HEADER}\n${'u1,i1,1,1\n'.repeat(5000)}`));
  return whole.subarray(0, whole.length - 20);
}

/** Cases of headers and whole files. */
function fileCases(): CorpusCase[] {
  return [
    {
      name: 'a duplicate interactions header column',
      kind: 'interactions',
      file: 'dup.csv',
      bytes: utf8(['user,item,ts,TS', 'u1,i1,1000000000,1']),
      exitCode: 2,
      stderr: ['contrarec: FILE:1: duplicate header column "TS" (columns 3 and 4)\n'],
    },
    {
      name: 'a duplicate items header column',
      kind: 'items',
      file: 'dup-items.csv',
      bytes: utf8(['item,genre,year,genre', 'i1,drama,1999,comedy']),
      exitCode: 2,
      stderr: ['duplicate header column "genre" (columns 2 and 4)'],
    },
    {
      name: 'a __proto__ feature column',
      kind: 'items',
      file: 'proto.csv',
      bytes: utf8(['item,__proto__', 'i1,x']),
      exitCode: 2,
      stderr: ['header column 2: feature name "__proto__" is reserved'],
    },
    {
      name: 'a constructor feature key in JSON Lines',
      kind: 'users',
      file: 'proto.jsonl',
      // The good row carries no feature, so merging it changes nothing.
      bytes: utf8(['{"user":"u1"}', '{"user":"u2","constructor":"x"}', '{"user":"u3","__proto__":{"age":1}}']),
      flags: KEEP,
      exitCode: 0,
      rejects: at(
        ['feature name "constructor" is reserved (it names an object internal)', 'feature name "__proto__" is reserved (it names an object internal)'],
        2,
      ),
    },
    {
      name: 'a header-only file',
      kind: 'interactions',
      file: 'header-only.csv',
      bytes: utf8([HEADER]),
      exitCode: 0,
      stderr: ['contrarec: FILE: header only, no data rows\n'],
    },
    {
      name: 'a .gz that is not gzip',
      kind: 'interactions',
      file: 'plain.csv.gz',
      bytes: utf8([HEADER, ...GOOD]),
      exitCode: 2,
      stderr: ['contrarec: FILE: cannot read: incorrect header check (not a gzip file)\n'],
    },
    {
      name: 'a truncated gzip',
      kind: 'interactions',
      file: 'cut.csv.gz',
      bytes: truncatedGzip(),
      exitCode: 1,
      stderr: ['cannot read: unexpected end of file'],
    },
  ];
}

/** Cases of the bytes of lines. */
function lineCases(): CorpusCase[] {
  return [
    {
      name: 'bad UTF-8',
      kind: 'interactions',
      file: 'utf8.csv',
      bytes: Buffer.concat([withBad([]), Buffer.from('u1,i'), Buffer.from([0xc3, 0x28]), Buffer.from(',1,1\n')]),
      flags: KEEP,
      exitCode: 0,
      rejects: at(['invalid UTF-8']),
    },
    {
      name: 'a stray tab in a TSV row',
      kind: 'interactions',
      file: 'tabs.tsv',
      bytes: utf8(['user\titem\tts\trating', 'u1\ti1\t1000000000\t5', 'u1\ti3\t\t1\t1']),
      flags: KEEP,
      exitCode: 0,
      rejects: at(['expected 4 fields, found 5'], 3),
    },
    {
      name: 'wrong column counts, a non-numeric and an empty time',
      kind: 'interactions',
      file: 'columns.csv',
      bytes: withBad(['u1,i3,1', 'u1,i3,1,1,1', 'u1,i3,yesterday,1', 'u1,i3,,1']),
      flags: KEEP,
      exitCode: 0,
      rejects: at(['expected 4 fields, found 3', 'expected 4 fields, found 5', 'bad timestamp "yesterday"', 'missing timestamp']),
    },
    {
      name: 'an unbalanced quote (last line)',
      kind: 'interactions',
      file: 'quotes.csv',
      bytes: withBad(['"u1,i3,1,1']),
      flags: KEEP,
      exitCode: 0,
      rejects: at([/quote/]),
    },
    {
      name: 'a BOM and CRLF line ends, with one bad row',
      kind: 'interactions',
      file: 'bom-crlf.csv',
      bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8([HEADER, ...GOOD, 'u1,i3,soon,1'], '\r\n')]),
      flags: KEEP,
      exitCode: 0,
      rejects: at(['bad timestamp "soon"']),
    },
    {
      name: 'nothing but bad rows: rolled back, exit 1 naming the first',
      kind: 'interactions',
      file: 'all-bad.csv',
      bytes: utf8([HEADER, 'u1,i3,-5,1', 'u1,i3,1,-5']),
      exitCode: 1,
      rejects: at([`timestamp -5 out of range ${TIME_RANGE}`, 'rating -5 out of range (--rating-range 0..1e15)'], 2),
      stderr: ['rolled back', `FILE:2: timestamp -5 out of range ${TIME_RANGE}`],
    },
  ];
}

/** Every case of the corpus. */
export function corpusCases(): CorpusCase[] {
  return [...ruleCases(), ...fileCases(), ...lineCases()];
}

/** Writes every case's file into `dir` and returns the cases with the path of their file. */
export function writeCorpus(dir: string): (CorpusCase & { readonly path: string })[] {
  return corpusCases().map((c) => {
    const p = path.join(dir, c.file);
    fs.writeFileSync(p, c.bytes);
    return { ...c, path: p };
  });
}
