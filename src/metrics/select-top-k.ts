/**
 * Scores a top-k selection reads: float64 from the JS scorer, float32 from a GEMM. A process
 * normally ranks with one of the two (the GEMM wherever the addon loads), which keeps the
 * selection's loads monomorphic; mixing both in one process slows the selection down.
 */
export type ScoreArray = Float32Array | Float64Array;

/**
 * The running top k of several rows of scores (one per user of a block) that arrive in pieces:
 * tiles of the catalogue, offered in increasing item order, so that a block of users is ranked
 * against any catalogue with a score buffer of bounded size. Each row is a fixed-size min-heap
 * (O(n log k) for n offered scores), never a sort of the catalogue.
 *
 * Ties are broken by the lower item index, so the result is a deterministic function of the
 * scores, whatever the tiling. Items with `skip[item] !== 0` are left out (the user's already
 * seen items); a row returns fewer than k items when fewer were offered. A NaN score (a diverged
 * model) ranks as −∞, so that it can never push a real score out.
 */
export class TopKHeaps {
  private readonly heapIdx: Int32Array;
  private readonly heapScore: Float64Array;
  private readonly sizes: Int32Array;

  constructor(
    readonly rows: number,
    readonly k: number,
  ) {
    this.heapIdx = new Int32Array(rows * k);
    this.heapScore = new Float64Array(rows * k);
    this.sizes = new Int32Array(rows);
  }

  /** Empties every row, for the next block of users. */
  clear(): void {
    this.sizes.fill(0);
  }

  /**
   * Offers `scores[offset + j]` as item `first + j` (j < n) to row `row`. Items must be offered in
   * increasing order across calls (the tie rule relies on it); `skip` is indexed by item.
   */
  offer(row: number, scores: ScoreArray, offset: number, n: number, first: number, skip: Uint8Array | null): void {
    const { heapIdx, heapScore, k } = this;
    const base = row * k;
    let size = this.sizes[row];
    let j = 0;
    for (; j < n && size < k; j++) {
      const item = first + j;
      if (skip !== null && skip[item] !== 0) continue;
      const raw = scores[offset + j];
      const s = raw === raw ? raw : -Infinity;
      // Sift up: the root is the worst (lowest score, then highest index).
      let pos = size++;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        const ps = heapScore[base + parent];
        if (ps < s || (ps === s && heapIdx[base + parent] > item)) break;
        heapScore[base + pos] = ps;
        heapIdx[base + pos] = heapIdx[base + parent];
        pos = parent;
      }
      heapScore[base + pos] = s;
      heapIdx[base + pos] = item;
    }
    this.sizes[row] = size;
    // Items come in increasing index order, so an equal score never displaces the root; NaN > x
    // is false, so NaN never enters here.
    let threshold = size === k && k > 0 ? heapScore[base] : Infinity;
    for (; j < n; j++) {
      const s = scores[offset + j];
      if (s > threshold && (skip === null || skip[first + j] === 0)) {
        siftDown(heapIdx, heapScore, base, size, first + j, s);
        threshold = heapScore[base];
      }
    }
  }

  /** Row `row`'s items, best first; the row is left empty. */
  take(row: number): Int32Array {
    const { heapIdx, heapScore, k } = this;
    const base = row * k;
    const size = this.sizes[row];
    // Pop the worst into the last free slot until the heap is empty: best first, no sort.
    const out = new Int32Array(size);
    for (let last = size - 1; last >= 0; last--) {
      out[last] = heapIdx[base];
      siftDown(heapIdx, heapScore, base, last, heapIdx[base + last], heapScore[base + last]);
    }
    this.sizes[row] = 0;
    return out;
  }
}

/**
 * The indices of the `k` highest scores, best first, by partial selection (one row of
 * {@link TopKHeaps}, offered in one piece): O(n log k), never a sort of all n scores. Ties by the
 * lower index, `skip[i] !== 0` left out, NaN ranked as −∞, fewer than k when fewer remain.
 * `n` scores are read from `scores[offset .. offset + n)`, so one block of many users' scores
 * can be passed without copying.
 */
export function selectTopK(scores: ScoreArray, k: number, skip: Uint8Array | null = null, offset = 0, n = scores.length - offset): Int32Array {
  const heaps = new TopKHeaps(1, k);
  heaps.offer(0, scores, offset, n, 0, skip);
  return heaps.take(0);
}

function siftDown(heapIdx: Int32Array, heapScore: Float64Array, base: number, size: number, idx: number, s: number): void {
  let pos = 0;
  for (;;) {
    let child = 2 * pos + 1;
    if (child >= size) break;
    const right = child + 1;
    if (right < size) {
      const cs = heapScore[base + child];
      const rs = heapScore[base + right];
      if (rs < cs || (rs === cs && heapIdx[base + right] > heapIdx[base + child])) child = right;
    }
    const cs = heapScore[base + child];
    if (s < cs || (s === cs && idx > heapIdx[base + child])) break;
    heapScore[base + pos] = cs;
    heapIdx[base + pos] = heapIdx[base + child];
    pos = child;
  }
  heapScore[base + pos] = s;
  heapIdx[base + pos] = idx;
}
