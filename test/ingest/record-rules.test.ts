import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/common/user-error.js';
import { validateInteractionFields, validateInteractionInput } from '../../src/ingest/index.js';
import {
  checkFeatureName,
  checkId,
  checkTime,
  checkValue,
  DEFAULT_RECORD_RULES,
  duplicateColumn,
  MAX_ID_BYTES,
  parseDecimal,
  parseRangeFlag,
  recordRulesOf,
  type NumberRange,
} from '../../src/ingest/record-rules.js';

// eslint-disable-next-line no-control-regex -- the control characters are what the rule forbids
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200d\u202a-\u202e\u2066-\u2069\ufeff]/;
const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

describe('the id rule', () => {
  it('names the rule it breaks (issue 19: NUL, tab, zero-width, RLO and a 10 MiB id were stored)', () => {
    expect(checkId('u1', 'user id')).toBeUndefined();
    expect(checkId('Amélie-東京-🎬', 'user id')).toBeUndefined();
    expect(checkId('a\u0000b', 'user id')).toBe('user id has a control character U+0000 at 1');
    expect(checkId('a\tb', 'item id')).toBe('item id has a control character U+0009 at 1');
    expect(checkId('a\u0085', 'item id')).toBe('item id has a control character U+0085 at 1');
    expect(checkId('a\u202eb', 'user id')).toBe('user id has a bidi control U+202E at 1');
    expect(checkId('\u2066x', 'user id')).toBe('user id has a bidi control U+2066 at 0');
    expect(checkId('a\u200bb', 'user id')).toBe('user id has a zero-width character U+200B at 1');
    expect(checkId('a\ufeff', 'user id')).toBe('user id has a zero-width character U+FEFF at 1');
    expect(checkId('x'.repeat(512), 'user id')).toBeUndefined();
    expect(checkId('x'.repeat(513), 'user id')).toBe('user id too long (over 512 UTF-8 bytes)');
    // 171 three-byte characters: 171 UTF-16 units but 513 bytes.
    expect(checkId('東'.repeat(171), 'item id')).toBe('item id too long (over 512 UTF-8 bytes)');
    expect(checkId('x'.repeat(10 * 1024 * 1024), 'item id')).toMatch(/too long/);
  });

  it('property: never throws; an accepted id is at most 512 UTF-8 bytes and free of every forbidden character', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 600 }),
      fc.string({ unit: fc.constantFrom('a', 'é', '東', '🎬', '\t', '\u0000', '\u202e', '\u200b', '\ufeff', '\u0085'), maxLength: 200 }),
    );
    fc.assert(
      fc.property(text, (s) => {
        const reason = checkId(s, 'id');
        if (reason === undefined) {
          expect(utf8Bytes(s)).toBeLessThanOrEqual(MAX_ID_BYTES);
          expect(FORBIDDEN.test(s)).toBe(false);
        } else {
          expect(utf8Bytes(s) > MAX_ID_BYTES || FORBIDDEN.test(s)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('is applied to file rows and API rows alike (ids, and the event type)', () => {
    expect(validateInteractionFields('u\u202e1', 'i', '5', undefined, undefined)).toBe('user id has a bidi control U+202E at 1');
    expect(validateInteractionFields('u', 'i\u0000', '5', undefined, undefined)).toBe('item id has a control character U+0000 at 1');
    expect(validateInteractionFields('u', 'i', '5', undefined, 'vi\u200bew')).toBe('event has a zero-width character U+200B at 2');
    expect(validateInteractionInput({ user: 'x'.repeat(600), item: 'i', ts: 5 }, 9)).toBe('user id too long (over 512 UTF-8 bytes)');
  });
});

describe('the timestamp rule', () => {
  const range: NumberRange = DEFAULT_RECORD_RULES.time;

  it('accepts 1970-01-01 .. 2100-01-01 by default and names the bound (issue 19: ±999999999999999 was stored)', () => {
    expect(range).toMatchObject({ min: 0, max: Date.UTC(2100, 0, 1) / 1000 });
    expect(validateInteractionFields('u', 'i', '0', undefined, undefined)).toMatchObject({ ts: 0 });
    expect(validateInteractionFields('u', 'i', '4102444800', undefined, undefined)).toMatchObject({ ts: 4102444800 });
    expect(validateInteractionFields('u', 'i', '4102444801', undefined, undefined)).toBe(
      'timestamp 4102444801 out of range (--time-range 1970-01-01..2100-01-01)',
    );
    expect(validateInteractionFields('u', 'i', '-1', undefined, undefined)).toBe('timestamp -1 out of range (--time-range 1970-01-01..2100-01-01)');
    expect(validateInteractionFields('u', 'i', '999999999999999', undefined, undefined)).toMatch(/out of range \(--time-range 1970-01-01\.\.2100-01-01\)$/);
    expect(validateInteractionFields('u', 'i', '2100-01-02', undefined, undefined)).toMatch(/^timestamp 2100-01-02 out of range/);
    expect(validateInteractionInput({ user: 'u', item: 'i', ts: -999999999999999 }, 9)).toMatch(/out of range/);
  });

  it('property: checkTime accepts exactly the times within the range, ends included, and never throws', () => {
    const second = fc.bigInt({ min: -8_640_000_000_000n, max: 8_640_000_000_000n }).map(Number);
    const bounds = fc.tuple(second, second).map(([a, b]) => ({
      min: Math.min(a, b),
      max: Math.max(a, b),
      text: `${Math.min(a, b)}..${Math.max(a, b)}`,
    }));
    const t = fc.oneof(fc.maxSafeInteger(), second, fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0));
    fc.assert(
      fc.property(bounds, t, (r, x) => {
        const ok = checkTime(x, String(x), r) === undefined;
        expect(ok).toBe(x >= r.min && x <= r.max);
        if (!ok) expect(checkTime(x, String(x), r)).toContain(`--time-range ${r.text}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: a timestamp cell (any text) never throws, and an accepted one is in range', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer().map(String), fc.bigInt().map(String)), (s) => {
        const r = validateInteractionFields('u', 'i', s, undefined, undefined);
        if (typeof r !== 'string') expect(r.ts >= range.min && r.ts <= range.max).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ratings and weights', () => {
  it('are plain finite decimals: no hex, no Infinity, no overflow; weights never negative (issue 19: -1, ±1e308, 0x10)', () => {
    expect(parseDecimal('0x10')).toBeNaN();
    expect(parseDecimal(' 4.5 ')).toBe(4.5);
    expect(parseDecimal('Infinity')).toBeNaN();
    expect(parseDecimal('')).toBeNaN();
    const rules = DEFAULT_RECORD_RULES;
    expect(checkValue('rating', '0x10', rules.rating)).toBe('bad rating "0x10"');
    expect(checkValue('rating', '1e308', rules.rating)).toBe('rating 1e308 out of range (|x| ≤ 1e15)');
    expect(checkValue('rating', '-1e308', rules.rating)).toBe('rating -1e308 out of range (|x| ≤ 1e15)');
    expect(checkValue('weight', '1e309', rules.weight)).toBe('weight 1e309 out of range (|x| ≤ 1e15)');
    expect(checkValue('rating', '-1', rules.rating)).toBe('rating -1 out of range (--rating-range 0..1e15)');
    expect(checkValue('weight', '-1', rules.weight)).toBe('weight -1 out of range (--weight-range 0..1e15)');
    expect(checkValue('rating', '-1', parseRangeFlag('rating-range', '-10..10'))).toBe(-1);
    expect(validateInteractionFields('u', 'i', '5', '0x10', undefined)).toBe('bad rating "0x10"');
    expect(validateInteractionInput({ user: 'u', item: 'i', rating: -1 }, 9)).toBe('rating -1 out of range (--rating-range 0..1e15)');
    expect(validateInteractionInput({ user: 'u', item: 'i', weight: 1e308 }, 9)).toBe('weight 1e+308 out of range (|x| ≤ 1e15)');
  });

  it('property: an accepted value is finite and within its range; any text never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.double().map(String),
          fc.integer().map((n) => `0x${n.toString(16)}`),
        ),
        (s) => {
          const v = checkValue('rating', s, DEFAULT_RECORD_RULES.rating);
          if (typeof v === 'number') {
            expect(Number.isFinite(v)).toBe(true);
            expect(v >= 0 && v <= 1e15).toBe(true);
            expect(s.trim().toLowerCase().startsWith('0x')).toBe(false);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('range flags', () => {
  it('parse dates or seconds, and refuse what is not a range', () => {
    expect(parseRangeFlag('time-range', '2000-01-01..2030-01-01')).toEqual({ min: 946684800, max: 1893456000, text: '2000-01-01..2030-01-01' });
    expect(parseRangeFlag('time-range', '-100..100')).toMatchObject({ min: -100, max: 100 });
    expect(recordRulesOf({})).toEqual(DEFAULT_RECORD_RULES);
    expect(() => parseRangeFlag('time-range', '2030-01-01')).toThrow(UserError);
    expect(() => parseRangeFlag('time-range', '2030-01-01..2000-01-01')).toThrow('--time-range: MIN is after MAX');
    expect(() => parseRangeFlag('time-range', 'soon..later')).toThrow('is not a date');
    expect(() => parseRangeFlag('time-range', '0..9000000000000')).toThrow('outside the Date range');
    expect(() => parseRangeFlag('weight-range', '-1..5')).toThrow('a weight is never negative');
    expect(() => parseRangeFlag('rating-range', '0x1..5')).toThrow('is not a decimal');
  });
});

describe('headers and feature names', () => {
  it('finds a duplicate column case-insensitively, empty names aside', () => {
    expect(duplicateColumn(['user', 'item', 'ts'])).toBeUndefined();
    expect(duplicateColumn(['user', 'item', 'ts', 'TS'])).toEqual({ name: 'TS', first: 3, second: 4 });
    expect(duplicateColumn(['id', '', ''])).toBeUndefined();
  });
  it('refuses object internals as feature names', () => {
    for (const n of ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty']) expect(checkFeatureName(n), n).toMatch(/is reserved/);
    expect(checkFeatureName('genre')).toBeUndefined();
  });
});
