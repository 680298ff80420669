import { describe, expect, it } from 'vitest';
import { detectFormat, parseMaxErrors, parseTimestamp, splitDelimited, validateInteractionFields, validateInteractionInput } from '../../src/ingest/index.js';
import { clearlyExceedsMaxErrors, exceedsMaxErrors } from '../../src/ingest/max-errors.js';

describe('splitDelimited', () => {
  it('splits plain and quoted fields', () => {
    expect(splitDelimited('a,b,,c', ',')).toEqual(['a', 'b', '', 'c']);
    expect(splitDelimited('1,"a, b",3', ',')).toEqual(['1', 'a, b', '3']);
    expect(splitDelimited('"say ""hi""",x', ',')).toEqual(['say "hi"', 'x']);
    expect(splitDelimited('x,""', ',')).toEqual(['x', '']);
  });
  it('returns undefined for broken quoting', () => {
    expect(splitDelimited('1,"open,3', ',')).toBeUndefined();
    expect(splitDelimited('1,"a"b,3', ',')).toBeUndefined();
    expect(splitDelimited('1,a"b,3', ',')).toBeUndefined();
  });
});

describe('parseTimestamp', () => {
  it('reads unix seconds and ISO 8601 (UTC when no zone)', () => {
    expect(parseTimestamp('881250949')).toBe(881250949);
    // 1998-01-01 is 28·365 + 7 leap days = 10,227 days after 1970-01-01; + 31 + 28 + 31 + 21 = 10,338
    // days to 1998-04-22 → 893,203,200 s; + 23:10:38 = 83,438 s → 893,286,638.
    expect(parseTimestamp('1998-04-22T23:10:38Z')).toBe(893286638);
    expect(parseTimestamp('1998-04-22T23:10:38')).toBe(893286638);
    expect(parseTimestamp('1998-04-22 23:10:38.900')).toBe(893286638);
    expect(parseTimestamp('1998-04-23T01:10:38+02:00')).toBe(893286638);
    expect(parseTimestamp('1998-04-22')).toBe(893203200);
  });
  it('rejects anything else', () => {
    for (const bad of ['yesterday', '12.5', '1998-13-40', '', '1e9', '0x10']) expect(parseTimestamp(bad)).toBeNaN();
  });
});

describe('validateInteractionFields', () => {
  it('accepts a row and defaults weight to 1 and event to empty', () => {
    expect(validateInteractionFields(' u1 ', 'i1', '5', undefined, undefined)).toEqual({ user: 'u1', item: 'i1', ts: 5, event: '', weight: 1 });
    expect(validateInteractionFields('u1', 'i1', '5', '4.5', 'click')).toEqual({ user: 'u1', item: 'i1', ts: 5, event: 'click', weight: 4.5 });
  });
  it('names what is wrong', () => {
    expect(validateInteractionFields('', 'i', '5', undefined, undefined)).toBe('missing user id');
    expect(validateInteractionFields('u', ' ', '5', undefined, undefined)).toBe('missing item id');
    expect(validateInteractionFields('u', 'i', '', undefined, undefined)).toBe('missing timestamp');
    expect(validateInteractionFields('u', 'i', 'soon', undefined, undefined)).toBe('bad timestamp "soon"');
    expect(validateInteractionFields('u', 'i', '5', 'five', undefined)).toBe('bad rating "five"');
  });
  it('validates API rows with the same rules, numeric ids allowed, ts defaulting to now', () => {
    expect(validateInteractionInput({ user: 7, item: 'i', ts: 10 }, 99)).toEqual({ user: '7', item: 'i', ts: 10, event: '', weight: 1 });
    expect(validateInteractionInput({ user: 'u', item: 'i', rating: 3 }, 99)).toEqual({ user: 'u', item: 'i', ts: 99, event: '', weight: 3 });
    expect(validateInteractionInput({ user: 'u', item: 'i', ts: 1.5 }, 99)).toBe('bad timestamp "1.5"');
    expect(validateInteractionInput({ user: 'u', item: 'i', ts: 'later' }, 99)).toBe('bad timestamp "later"');
    expect(validateInteractionInput({ item: 'i' }, 99)).toMatch(/^user: /);
  });
});

describe('detectFormat', () => {
  it('uses the flag, then the extension (through .gz), then the first line', () => {
    expect(detectFormat('a.csv', 'x\ty', 'jsonl')).toBe('jsonl');
    expect(detectFormat('a.inter', '', undefined)).toBe('atomic');
    expect(detectFormat('a.tsv.gz', '', undefined)).toBe('tsv');
    expect(detectFormat('a.ndjson', '', undefined)).toBe('jsonl');
    expect(detectFormat('a.log', '{"user":1}', undefined)).toBe('jsonl');
    expect(detectFormat('a.log', 'user_id:token\titem_id:token', undefined)).toBe('atomic');
    expect(detectFormat('a.log', 'user\titem', undefined)).toBe('tsv');
    expect(detectFormat('a.log', 'user,item', undefined)).toBe('csv');
  });
});

describe('max-errors', () => {
  it('parses counts and percentages', () => {
    expect(parseMaxErrors(undefined)).toEqual({ kind: 'fraction', f: 0.01 });
    expect(parseMaxErrors('25')).toEqual({ kind: 'count', n: 25 });
    expect(parseMaxErrors('2.5%')).toEqual({ kind: 'fraction', f: 0.025 });
    expect(() => parseMaxErrors('lots')).toThrow('--max-errors must be a count (e.g. 100) or a percentage (e.g. 2%), got "lots"');
  });
  it('allows exactly the limit and no more', () => {
    expect(exceedsMaxErrors({ kind: 'fraction', f: 0.01 }, 1, 100)).toBe(false);
    expect(exceedsMaxErrors({ kind: 'fraction', f: 0.01 }, 2, 100)).toBe(true);
    expect(exceedsMaxErrors({ kind: 'count', n: 3 }, 3, 10)).toBe(false);
    expect(exceedsMaxErrors({ kind: 'count', n: 3 }, 4, 10)).toBe(true);
  });
  it('stops early only when the estimate is clearly over', () => {
    // 2,000 rows read at 10% of the bytes → ~20,000 rows expected; 1% of that is 200, twice is 400.
    expect(clearlyExceedsMaxErrors({ kind: 'fraction', f: 0.01 }, 400, 2000, 0.1)).toBe(false);
    expect(clearlyExceedsMaxErrors({ kind: 'fraction', f: 0.01 }, 401, 2000, 0.1)).toBe(true);
    expect(clearlyExceedsMaxErrors({ kind: 'fraction', f: 0.01 }, 500, 999, 0.1)).toBe(false);
  });
});
