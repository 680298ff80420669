import { describe, expect, it } from 'vitest';
import { skipWithout } from './missing-dependency.js';

describe('skipWithout', () => {
  it('skips a missing dependency on a developer machine, fails it under CI=true, and runs a present one', () => {
    expect(skipWithout('Chromium', true, 'install it', {})).toBe(true);
    expect(() => skipWithout('Chromium', true, 'install it', { CI: 'true' })).toThrow('CI=true and Chromium is missing (install it)');
    expect(skipWithout('Chromium', false, 'install it', { CI: 'true' })).toBe(false);
  });
});
