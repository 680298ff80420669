import { nativeAddon } from '../../src/kernels/native-addon.js';
import { JS_PAIRED_KERNELS, nativePairedKernels, type PairedKernels } from '../../src/kernels/paired-kernels.js';

/** Both halves of the paired kernels where the addon loads (JavaScript only where it does not), by name. */
export function pairedHalves(): [string, PairedKernels][] {
  const addon = nativeAddon();
  return [['JavaScript', JS_PAIRED_KERNELS], ...(addon === undefined ? [] : [['C++', nativePairedKernels(addon)] as [string, PairedKernels]])];
}
