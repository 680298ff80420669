// Property-based tests of the line and record parsers: what a writer writes reads back equal,
// and arbitrary input is rejected row by row, never thrown. numRuns keep the file to a few seconds.
import { DEFAULT_RECORD_RULES } from '../../src/ingest/record-rules.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvRecordEnd } from '../../src/ingest/csv-records.js';
import { splitDelimited } from '../../src/ingest/index.js';
import { scanInteractionLine } from '../../src/ingest/scan-interaction-line.js';
import { csvField } from '../../src/data/synthetic/csv-field.js';
import { decodeFiles } from './decode-file.js';
import { tmpDir, writeInput } from './helpers.js';

const dir = tmpDir();
let fileNo = 0;
const file = (ext: string, content: string | Buffer): string => writeInput(dir, `p${fileNo++}${ext}`, content);

/** A field for TSV and atomic files: quoted (inner quotes doubled) when it holds a tab or a quote; no line breaks. */
const tsvField = (s: string): string => (/[\t"]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** Ids that survive validation unchanged: no surrounding space, no control characters; commas and quotes inside. */
const id = fc
  .tuple(
    fc.constantFrom('u', 'i', 'é', '7'),
    fc.array(fc.constantFrom('a', 'Z', '0', ',', '"', ' ', '.', 'ß', '🙂'), { maxLength: 8 }),
    fc.constantFrom('x', '9'),
  )
  .map(([a, mid, b]) => a + mid.join('') + b);
/** Any text, line breaks, tabs, quotes and commas included. */
const text = fc.string({ unit: 'binary', maxLength: 16 });
const lineFree = text.map((s) => s.replace(/[\r\n]/g, ' '));
const row = fc.record({ user: id, item: id, ts: fc.integer({ min: 0, max: 2 ** 31 }), rating: fc.constantFrom(1, 2.5, 0.1, 5), note: text });
const rows = fc.array(row, { minLength: 1, maxLength: 15 });

type Row = { user: string; item: string; ts: number; rating: number };
const expected = (rs: readonly Row[]): object[] => rs.map((r) => ({ user: r.user, item: r.item, ts: r.ts, weight: r.rating, event: '' }));

describe('round trip: a row the writer writes reads back equal', () => {
  it('CSV records (splitDelimited and the record end), any text in any field', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 6 }), (fields) => {
        const record = fields.map(csvField).join(',');
        expect(csvRecordEnd(Buffer.from(record), 0, 44, false)).toBe(Buffer.byteLength(record));
        expect(splitDelimited(record, ',')).toEqual(fields);
      }),
      { numRuns: 500 },
    );
  });

  it('CSV files, with line breaks, quotes and delimiters in the fields', async () => {
    await fc.assert(
      fc.asyncProperty(rows, fc.boolean(), async (rs, crlf) => {
        const eol = crlf ? '\r\n' : '\n';
        const body = rs.map((r) => [r.user, r.item, r.ts, r.rating, r.note].map(csvField).join(',')).join(eol);
        const got = await decodeFiles([file('.csv', `user,item,ts,rating,note${eol}${body}${eol}`)]);
        expect(got.rejects).toEqual([]);
        expect(got.rows).toEqual(expected(rs));
      }),
      { numRuns: 60 },
    );
  });

  for (const [ext, header] of [
    ['.tsv', 'user\titem\tts\trating\tnote'],
    ['.inter', 'user_id:token\titem_id:token\ttimestamp:float\trating:float\tnote:token_seq'],
  ]) {
    it(`${ext === '.tsv' ? 'TSV' : 'atomic'} files, with tabs and quotes in the fields (each record on one line)`, async () => {
      await fc.assert(
        fc.asyncProperty(rows, lineFree, async (rs, note) => {
          const body = rs.map((r) => [r.user, r.item, r.ts, r.rating, note].map((v) => tsvField(String(v))).join('\t')).join('\n');
          const got = await decodeFiles([file(ext, `${header}\n${body}\n`)]);
          expect(got.rejects).toEqual([]);
          expect(got.rows).toEqual(expected(rs));
        }),
        { numRuns: 40 },
      );
    });
  }

  it('JSON Lines files, any text in the other keys', async () => {
    await fc.assert(
      fc.asyncProperty(rows, async (rs) => {
        const body = rs.map((r) => JSON.stringify({ user_id: r.user, item_id: r.item, timestamp: r.ts, rating: r.rating, note: r.note })).join('\n');
        const got = await decodeFiles([file('.jsonl', body)]);
        expect(got.rejects).toEqual([]);
        expect(got.rows).toEqual(expected(rs));
      }),
      { numRuns: 40 },
    );
  });
});

describe('arbitrary input never throws: it is read row by row or rejected', () => {
  const bytes = fc.uint8Array({ maxLength: 300 });
  // A header (or one good JSON line) first, so that the file is not refused as a whole.
  const HEADS: ReadonlyArray<readonly [string, string]> = [
    ['.csv', 'user,item,ts,rating\n'],
    ['.tsv', 'user\titem\tts\n'],
    ['.inter', 'user_id:token\titem_id:token\ttimestamp:float\n'],
    ['.jsonl', '{"user":"u","item":"i","ts":1}\n'],
  ];
  for (const [ext, head] of HEADS) {
    for (const gz of ['', '.gz']) {
      it(`${ext}${gz} files of random bytes`, async () => {
        await fc.assert(
          fc.asyncProperty(bytes, async (b) => {
            const got = await decodeFiles([file(ext + gz, Buffer.concat([Buffer.from(head), b]))]);
            expect(got.rows.length + got.rejects.length).toBe(got.rowsRead);
            for (const r of got.rejects) expect(typeof r.reason).toBe('string');
          }),
          { numRuns: gz === '' ? 60 : 20 },
        );
      });
    }
  }

  it('the line parsers on arbitrary strings', () => {
    const cols = { user: 0, item: 1, time: 2, rating: 3, weight: -1, event: 4 };
    const out = { user: '', item: '', ts: 0, event: '', weight: 1 };
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom(',', '\t'), (s, delimiter) => {
        const reason = scanInteractionLine(s, delimiter, 5, cols, DEFAULT_RECORD_RULES, out);
        expect(reason === undefined || typeof reason === 'string').toBe(true);
        const cells = splitDelimited(s, delimiter);
        expect(cells === undefined || Array.isArray(cells)).toBe(true);
        const buf = Buffer.from(s);
        const end = csvRecordEnd(buf, 0, 44, false);
        expect(end === -1 || end === buf.length || buf[end] === 10).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
