import { describe, expect, it } from 'vitest';
import { nativeAddon, trimNativeHeap } from '../../src/kernels/native-addon.js';

// Serve calls it after every swap, whether or not the addon loads here (the portable pass runs
// this file with CONTRAREC_NATIVE=0).
describe('trimNativeHeap', () => {
  it('resolves whether memory went back and never rejects; without the addon it is a no-op', async () => {
    const released = await trimNativeHeap();
    if (nativeAddon() === undefined) expect(released).toBe(false);
    else expect(released).toBeTypeOf('boolean');
  });
});
