/**
 * The indices of the `k` highest scores, best first, by partial selection: one pass with a
 * fixed-size min-heap (O(n log k)), never a sort of all n scores.
 *
 * Ties are broken by the lower index: of two equal scores the lower index ranks first, so
 * the result is a deterministic function of the scores. Indices with `skip[i] !== 0` are left
 * out (the user's already-seen items). Returns fewer than k indices when fewer remain. A NaN
 * score (a diverged model) ranks as −∞, so that it can never push a real score out.
 * `n` scores are read from `scores[offset .. offset + n)`, so one block of many users' scores
 * can be passed without copying.
 */
export function selectTopK(scores: Float64Array, k: number, skip: Uint8Array | null = null, offset = 0, n = scores.length - offset): Int32Array {
  const heapIdx = new Int32Array(k);
  const heapScore = new Float64Array(k);
  let size = 0;
  let i = 0;
  for (; i < n && size < k; i++) {
    if (skip !== null && skip[i] !== 0) continue;
    const raw = scores[offset + i];
    const s = raw === raw ? raw : -Infinity;
    // Sift up: the root is the worst (lowest score, then highest index).
    let pos = size++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const ps = heapScore[parent];
      if (ps < s || (ps === s && heapIdx[parent] > i)) break;
      heapScore[pos] = ps;
      heapIdx[pos] = heapIdx[parent];
      pos = parent;
    }
    heapScore[pos] = s;
    heapIdx[pos] = i;
  }
  // Items come in increasing index order, so an equal score never displaces the root; NaN > x
  // is false, so NaN never enters here.
  let threshold = size === k && k > 0 ? heapScore[0] : Infinity;
  for (; i < n; i++) {
    const s = scores[offset + i];
    if (s > threshold && (skip === null || skip[i] === 0)) {
      siftDown(heapIdx, heapScore, size, i, s);
      threshold = heapScore[0];
    }
  }
  // Pop the worst into the last free slot until the heap is empty: best first, no sort.
  const out = new Int32Array(size);
  for (let last = size - 1; last >= 0; last--) {
    out[last] = heapIdx[0];
    siftDown(heapIdx, heapScore, last, heapIdx[last], heapScore[last]);
  }
  return out;
}

function siftDown(heapIdx: Int32Array, heapScore: Float64Array, size: number, idx: number, s: number): void {
  let pos = 0;
  for (;;) {
    let child = 2 * pos + 1;
    if (child >= size) break;
    const right = child + 1;
    if (right < size) {
      const cs = heapScore[child];
      const rs = heapScore[right];
      if (rs < cs || (rs === cs && heapIdx[right] > heapIdx[child])) child = right;
    }
    const cs = heapScore[child];
    if (s < cs || (s === cs && idx > heapIdx[child])) break;
    heapScore[pos] = cs;
    heapIdx[pos] = heapIdx[child];
    pos = child;
  }
  heapScore[pos] = s;
  heapIdx[pos] = idx;
}
