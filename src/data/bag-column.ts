/**
 * A bag of table rows per entity in compressed sparse row form: entity e owns
 * `rows[offsets[e] .. offsets[e+1])`. Single-valued features are bags of one; multi-valued
 * features are mean-pooled over their bag. Every bag is non-empty (an empty value is the OOV row).
 */
export interface BagColumn {
  readonly offsets: Int32Array;
  readonly rows: Int32Array;
}

/** Packs per-entity row lists into a {@link BagColumn}. */
export function bagColumnFromLists(lists: readonly (readonly number[])[]): BagColumn {
  const offsets = new Int32Array(lists.length + 1);
  for (let e = 0; e < lists.length; e++) offsets[e + 1] = offsets[e] + lists[e].length;
  const rows = new Int32Array(offsets[lists.length]);
  for (let e = 0; e < lists.length; e++) rows.set(lists[e], offsets[e]);
  return { offsets, rows };
}
