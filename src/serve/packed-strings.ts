import type { TimeSlicer } from './time-slicer.js';

/**
 * A list of strings as one string and the end of each (UTF-16 indices): what a worker thread
 * posts instead of an array, since one long string crosses the thread boundary in a single
 * copy, where an array of 100,000 ids is rebuilt string by string on the receiving thread in one
 * blocking step.
 */
export interface PackedStrings {
  readonly text: string;
  readonly ends: Int32Array;
}

/** Packs a list (see {@link PackedStrings}). */
export function packStrings(list: readonly string[]): PackedStrings {
  const ends = new Int32Array(list.length);
  let at = 0;
  for (let i = 0; i < list.length; i++) ends[i] = at += list[i].length;
  return { text: list.join(''), ends };
}

/** The list back, in slices that yield to the event loop through `slicer`. */
export async function unpackStrings(packed: PackedStrings, slicer: TimeSlicer): Promise<string[]> {
  const { text, ends } = packed;
  const out = new Array<string>(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    out[i] = text.slice(start, (start = ends[i]));
    if ((i & 4095) === 4095) await slicer.pause();
  }
  return out;
}

/** `list[i] → i` for every i ≥ `from`, as a map built in slices that yield through `slicer`. */
export async function rowMap(list: readonly string[], slicer: TimeSlicer, from = 0): Promise<Map<string, number>> {
  const map = new Map<string, number>();
  for (let i = from; i < list.length; i++) {
    map.set(list[i], i);
    if ((i & 4095) === 4095) await slicer.pause();
  }
  return map;
}
