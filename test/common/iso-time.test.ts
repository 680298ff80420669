import { describe, expect, it } from 'vitest';
import { isoOrNull } from '../../src/common/iso-time.js';

describe('isoOrNull', () => {
  it('formats every time in the Date range and gives null, never a RangeError, outside it', () => {
    expect(isoOrNull(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(isoOrNull(8_640_000_000_000)).toBe('+275760-09-13T00:00:00.000Z');
    expect(isoOrNull(-8_640_000_000_000)).toBe('-271821-04-20T00:00:00.000Z');
    for (const t of [8_640_000_000_001, -9e15, 9e15, NaN, Infinity, -Infinity, null, undefined]) expect(isoOrNull(t), String(t)).toBeNull();
  });
});
