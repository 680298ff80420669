import { describe, expect, it } from 'vitest';
import { nativeAddon } from '../../src/kernels/native-addon.js';
import { skipWithout } from '../missing-dependency.js';

describe.skipIf(skipWithout('the native addon', nativeAddon() === undefined, 'run `npm run build:native`'))('the addon’s trimHeap', () => {
  it('is built in (an addon without it still loads, but serve then never trims), resolves a boolean, checks its arguments', async () => {
    const trimHeap = nativeAddon()!.trimHeap;
    expect(trimHeap).toBeTypeOf('function');
    await expect(trimHeap!()).resolves.toBeTypeOf('boolean');
    expect(() => (trimHeap as unknown as (n: number) => Promise<boolean>)(1)).toThrow('trimHeap: expects 0 arguments, got 1');
  });

  it('runs concurrently with itself', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => nativeAddon()!.trimHeap!()));
    for (const r of results) expect(r).toBeTypeOf('boolean');
  });
});
