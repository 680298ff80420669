import type { BagColumn } from '../data/bag-column.js';

function entropy(counts: Iterable<number>, n: number): number {
  let h = 0;
  for (const c of counts) h -= (c / n) * Math.log(c / n);
  return h;
}

/**
 * Normalised mutual information between every pair of feature fields, the field-correlation measure
 * of correlated feature masking (Yao et al. 2021): NMI(X;Y) = I(X;Y) / sqrt(H(X)·H(Y)), 0 when a field
 * is constant, with each entity's field value taken as its bag's first row (multi-valued fields are
 * represented by their first token). Returns [F·F], symmetric, diagonal 1 (or 0 for constant fields).
 */
export function fieldMutualInformation(columns: readonly BagColumn[], numEntities: number): Float64Array {
  const f = columns.length;
  const first = columns.map((c) => Int32Array.from({ length: numEntities }, (_, e) => c.rows[c.offsets[e]]));
  const single = first.map((v) => {
    const m = new Map<number, number>();
    for (const x of v) m.set(x, (m.get(x) ?? 0) + 1);
    return entropy(m.values(), numEntities);
  });
  const out = new Float64Array(f * f);
  for (let a = 0; a < f; a++) {
    for (let b = a; b < f; b++) {
      const joint = new Map<number, number>();
      const stride = 1 << 20; // row ids stay far below 2^20·2^20 < 2^53
      for (let e = 0; e < numEntities; e++) {
        const key = first[a][e] * stride + first[b][e];
        joint.set(key, (joint.get(key) ?? 0) + 1);
      }
      const mi = single[a] + single[b] - entropy(joint.values(), numEntities);
      const norm = Math.sqrt(single[a] * single[b]);
      out[a * f + b] = out[b * f + a] = norm > 0 ? Math.max(0, mi) / norm : 0;
    }
  }
  return out;
}
