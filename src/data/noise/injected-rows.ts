/** Rows drawn by a noise mode, before weights are attached and they are merged in. */
export interface InjectedRows {
  readonly user: Int32Array;
  readonly item: Int32Array;
  readonly ts: Float64Array;
}

/** A uniform integer timestamp in [lo, hi] (unix seconds; lo when the range is one point). */
export function uniformTimestamp(lo: number, hi: number, next: () => number): number {
  return Math.min(hi, Math.floor(lo + next() * (hi - lo + 1)));
}
