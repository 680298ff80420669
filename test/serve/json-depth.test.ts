import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds, refuseDeepJson } from '../../src/serve/json-depth.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('jsonDepthExceeds (the depth check on a raw body)', () => {
  it('counts nested arrays and objects', () => {
    expect(jsonDepthExceeds(bytes('[[[1]]]'), 3)).toBe(false);
    expect(jsonDepthExceeds(bytes('[[[[1]]]]'), 3)).toBe(true);
    expect(jsonDepthExceeds(bytes('{"a": {"b": {"c": 1}}}'), 3)).toBe(false);
    expect(jsonDepthExceeds(bytes('[{}, [], {"a": []}]'), 2)).toBe(true);
    expect(jsonDepthExceeds(bytes('[{}, [], {"a": 1}]'), 2)).toBe(false);
    expect(jsonDepthExceeds(bytes('1'), 0)).toBe(false);
  });

  it('skips brackets inside strings, escaped quotes included, and multi-byte characters', () => {
    expect(jsonDepthExceeds(bytes(JSON.stringify({ s: '[[[[{{{{"]]' })), 1)).toBe(false);
    expect(jsonDepthExceeds(bytes(JSON.stringify({ s: 'a\\"[[[' })), 1)).toBe(false);
    expect(jsonDepthExceeds(bytes(JSON.stringify(['é[', ['ü{', ['日本']]])), 3)).toBe(false);
  });

  it('scans a 5,000-deep body without recursion', () => {
    expect(jsonDepthExceeds(bytes('['.repeat(5000) + ']'.repeat(5000)), 32)).toBe(true);
  });

  it("decodes a UTF-16 body before scanning, as body-parser's verify hook passes it raw", () => {
    const utf16 = Buffer.from('[[[1]]]', 'utf16le');
    expect(() => refuseDeepJson(3)(undefined, undefined, utf16, 'utf-16le')).not.toThrow();
    expect(() => refuseDeepJson(2)(undefined, undefined, utf16, 'utf-16le')).toThrow(/deeper than the limit of 2 levels/);
  });
});
