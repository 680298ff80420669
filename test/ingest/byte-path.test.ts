import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField } from '../../src/data/synthetic/csv-field.js';
import { UNCLOSED_AT_EOF } from '../../src/ingest/csv-records.js';
import { ByteDictionary } from '../../src/ingest/byte-dictionary.js';
import { scanInteractionBytes, type ByteFields } from '../../src/ingest/scan-interaction-bytes.js';
import { scanInteractionLine } from '../../src/ingest/scan-interaction-line.js';
import type { MutableInteractionRow } from '../../src/ingest/interaction-row.js';
import { DEFAULT_RECORD_RULES, parseRangeFlag, type RecordRules } from '../../src/ingest/record-rules.js';
import { decodeFiles } from './decode-file.js';
import { tmpDir, writeInput } from './helpers.js';

describe('ByteDictionary', () => {
  it('gives dense indexes in first-seen order, the same from bytes and from strings, and lists new strings once', () => {
    const d = new ByteDictionary();
    const buf = Buffer.from('u1,i9,u1,é');
    expect(d.indexOfBytes(buf, 0, 2)).toBe(0); // u1
    expect(d.indexOfBytes(buf, 3, 5)).toBe(1); // i9
    expect(d.indexOfBytes(buf, 6, 8)).toBe(0); // u1 again
    expect(d.indexOfString('i9')).toBe(1);
    expect(d.indexOfString('é')).toBe(2);
    expect(d.indexOfBytes(buf, 9, buf.length)).toBe(2); // the UTF-8 bytes of é
    expect(d.indexOfString('')).toBe(3);
    expect(d.takeFresh()).toEqual(['u1', 'i9', 'é', '']);
    expect(d.takeFresh()).toEqual([]);
  });

  it('keeps every key apart through many rehashes (checked against a Map)', () => {
    const d = new ByteDictionary();
    const ref = new Map<string, number>();
    const got: number[] = [];
    const want: number[] = [];
    // 30,011 keys, each looked up three times, in a scrambled order (k·7919 mod 30011 is a permutation).
    for (let pass = 0; pass < 3; pass++) {
      for (let k = 0; k < 30_011; k++) {
        const key = `k${(k * 7919) % 30_011}`;
        if (!ref.has(key)) ref.set(key, ref.size);
        want.push(ref.get(key) ?? -1);
        got.push(d.indexOfString(key));
      }
    }
    expect(got).toEqual(want);
    expect(d.size).toBe(30_011);
    expect(d.takeFresh()).toEqual([...ref.keys()]);
  });
});

describe('scanInteractionBytes', () => {
  // user, item, ts, rating, event at columns 0..4.
  const cols = { user: 0, item: 1, time: 2, rating: 3, weight: -1, event: 4 };
  const fields = (): ByteFields => ({ userStart: 0, userEnd: 0, itemStart: 0, itemEnd: 0, eventStart: 0, eventEnd: 0, ts: 0, weight: 0 });
  const viaBytes = (line: string, rules: RecordRules = DEFAULT_RECORD_RULES): MutableInteractionRow | undefined => {
    const buf = Buffer.from(line, 'utf8');
    const x = fields();
    if (!scanInteractionBytes(buf, 0, buf.length, 44, 5, cols, rules, x)) return undefined;
    const s = (a: number, b: number): string => buf.toString('utf8', a, b);
    return { user: s(x.userStart, x.userEnd), item: s(x.itemStart, x.itemEnd), ts: x.ts, weight: x.weight, event: s(x.eventStart, x.eventEnd) };
  };
  const viaString = (line: string, rules: RecordRules = DEFAULT_RECORD_RULES): MutableInteractionRow | string => {
    const r = { user: '', item: '', ts: 0, event: '', weight: 1 };
    return scanInteractionLine(line, ',', 5, cols, rules, r) ?? r;
  };

  it('agrees with the string path on every plain line', () => {
    const plain = ['u1,i2,881250949,5,view', 'u1,i2,0007,,', 'u,i,1,4.5,buy', 'u,i,1,.25,', 'u,i,1,3.,x', 'u,i,4102444800,1,', `${'u'.repeat(512)},i,1,1,`];
    for (const line of plain) expect(viaBytes(line)).toEqual(viaString(line));
    // 0.1 + 0.2-style rounding: 1/10 computed as 1 / 10 is the same double as Number('0.1').
    expect(viaBytes('u,i,1,0.1,')?.weight).toBe(0.1);
  });

  it('leaves every other line to the string path (which accepts or rejects it)', () => {
    const other = [
      ' u1,i2,1,5,view', // space: trimmed by the string path
      '"u1",i2,1,5,view', // quotes
      'ü,i2,1,5,view', // non-ASCII
      'u1,i2,1998-04-22,5,view', // ISO timestamp
      'u1,i2,1,-1,view', // negative rating
      'u1,i2,1,1e3,view', // exponent
      'u1,i2,1234567890123456,5,view', // 16 digits
      'u1,i2,8640000000001,5,view', // past the Date range: rejected by the string path
      'u1,i2,4102444801,5,view', // past 2100-01-01, the default --time-range
      `${'u'.repeat(513)},i2,1,5,view`, // a user id over 512 bytes
      `u1,i2,1,5,${'e'.repeat(513)}`, // an event over 512 bytes
      'u1,i2,1,0x10,view', // hex
      ',i2,1,5,view', // missing user
      'u1,,1,5,view', // missing item
      'u1,i2,,5,view', // missing time
      'u1,i2,1,5', // 4 fields
      'u1,i2,1,5,view,extra', // 6 fields
      'u1,i2,1,1.2.3,view', // two points
    ];
    for (const line of other) expect(viaBytes(line), line).toBeUndefined();
    expect(viaString('u1,i2,1,-1,view')).toBe('rating -1 out of range (--rating-range 0..1e15)');
    expect(viaString('u1,i2,1,-1,view', { ...DEFAULT_RECORD_RULES, rating: parseRangeFlag('rating-range', '-5..5') })).toMatchObject({ weight: -1 });
    expect(viaString('u1,i2,1,5')).toBe('expected 5 fields, found 4');
    expect(viaString('u1,i2,8640000000001,5,view')).toBe('timestamp 8640000000001 out of range (--time-range 1970-01-01..2100-01-01)');
    expect(viaString('u1,i2,1,0x10,view')).toBe('bad rating "0x10"');
  });

  it('applies the configured ranges exactly as the string path does', () => {
    const rules: RecordRules = {
      time: parseRangeFlag('time-range', '100..200'),
      rating: parseRangeFlag('rating-range', '1..5'),
      weight: DEFAULT_RECORD_RULES.weight,
    };
    for (const line of ['u,i,100,1,', 'u,i,200,5,', 'u,i,99,3,', 'u,i,201,3,', 'u,i,150,0.5,', 'u,i,150,5.5,', 'u,i,150,,']) {
      const bytes = viaBytes(line, rules);
      const text = viaString(line, rules);
      if (bytes !== undefined) expect(bytes, line).toEqual(text);
      else expect(typeof text === 'string' || line.includes(' '), line).toBe(true);
    }
    expect(viaString('u,i,99,3,', rules)).toBe('timestamp 99 out of range (--time-range 100..200)');
    expect(viaString('u,i,150,5.5,', rules)).toBe('rating 5.5 out of range (--rating-range 1..5)');
  });

  it('property: whenever the byte path accepts a line, the string path accepts it with the same row; and it never accepts a line the string path rejects', () => {
    const cell = fc.string({ unit: fc.constantFrom('u', '1', '0', '9', '.', '-', 'x', ' ', '"', 'é', '\t', '\u200b'), maxLength: 18 });
    const line = fc.array(cell, { minLength: 3, maxLength: 6 }).map((cells) => cells.join(','));
    const rules = fc.constantFrom<RecordRules>(DEFAULT_RECORD_RULES, {
      time: parseRangeFlag('time-range', '5..90000'),
      rating: parseRangeFlag('rating-range', '0.5..10'),
      weight: parseRangeFlag('weight-range', '1..100'),
    });
    fc.assert(
      fc.property(line, rules, (l, r) => {
        const bytes = viaBytes(l, r);
        if (bytes !== undefined) expect(viaString(l, r)).toEqual(bytes);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('the file reader (byte path, records carried over lines) agrees with the string path', () => {
  const HEADER = 'user,item,ts,rating,event';
  const cols = { user: 0, item: 1, time: 2, rating: 3, weight: -1, event: 4 };
  // A record prefix that ends inside a quoted field: well-formed fields, each followed by a comma, then an open quote.
  const OPEN = /^(?:(?:"(?:[^"]|"")*"|[^",\n]*),)*"(?:[^"]|"")*$/;
  const stripCr = (s: string): string => (s.endsWith('\r') ? s.slice(0, -1) : s);

  /**
   * The reference, on strings: a line with a quote takes the next lines while the record so far
   * ends inside quotes; one still open at the end of the file is refused by its first line and
   * the next line read as a new record. Each record then goes through the string path.
   */
  const reference = (body: string): { rows: MutableInteractionRow[]; rejects: { line: number; raw: string; reason: string }[]; rowsRead: number } => {
    const lines = body.split('\n');
    const rows: MutableInteractionRow[] = [];
    const rejects: { line: number; raw: string; reason: string }[] = [];
    let rowsRead = 0;
    for (let i = 0; i < lines.length;) {
      let j = i;
      let record = lines[i];
      if (record.includes('"')) while (OPEN.test(record) && j + 1 < lines.length) record += `\n${lines[++j]}`;
      const text = stripCr(record);
      if (record.includes('"') && OPEN.test(record)) {
        rowsRead++;
        rejects.push({ line: i + 2, raw: stripCr(lines[i]), reason: UNCLOSED_AT_EOF });
        i++;
        continue;
      }
      if (text.trim() !== '') {
        rowsRead++;
        const r = { user: '', item: '', ts: 0, event: '', weight: 1 };
        const reason = scanInteractionLine(text, ',', 5, cols, DEFAULT_RECORD_RULES, r);
        if (reason === undefined) rows.push(r);
        else rejects.push({ line: i + 2, raw: text, reason });
      }
      i = j + 1;
    }
    return { rows, rejects, rowsRead };
  };

  const piece = fc.constantFrom('"', '""', ',', '\n', '\r', '\r\n', 'u', 'i7', '1', '42', '2.5', ' ', 'é', 'x');
  const noise = fc.array(piece, { maxLength: 10 }).map((a) => a.join(''));
  const cell = fc.oneof(noise, fc.constantFrom('u1', 'i2', '5', '3.5', '', 'view'), noise.map(csvField));
  const record = fc.array(cell, { minLength: 3, maxLength: 6 }).map((c) => c.join(','));
  const body = fc.tuple(fc.array(record, { maxLength: 12 }), fc.constantFrom('', '\n', '\r\n')).map(([rs, end]) => rs.join('\n') + end);
  const dir = tmpDir();
  let n = 0;

  it('on random CSV with quoted fields, line breaks and broken quoting', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const got = await decodeFiles([writeInput(dir, `r${n++}.csv`, `${HEADER}\n${b}`)]);
        expect(got).toEqual(reference(b));
      }),
      { numRuns: 300 },
    );
  });

  it('on hand-picked records', async () => {
    for (const b of ['u,"i\n",1,,\n', 'u,i,1,,"\n', '"u\r\n","i""\n""",1,2,x\nu,i,"1\n",3,', '"a"b,"\nu,i,1,,\n"', 'u,i,1,,\n"\n\n"']) {
      const got = await decodeFiles([writeInput(dir, `h${n++}.csv`, `${HEADER}\n${b}`)]);
      expect(got, JSON.stringify(b)).toEqual(reference(b));
    }
  });
});
