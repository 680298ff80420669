import { MIN_SAMPLING_PROBABILITY } from './logq-correction.js';

/**
 * A batch's candidate list with each item once. In-batch positives of a popular item and global
 * negatives drawn from a small catalogue repeat a lot (on ml-100k, 2,048 candidates hold about 1,100
 * distinct items), and every repeat costs an item-tower row and a column of the score matrix.
 */
export interface CompactCandidates {
  /** Distinct candidate items, in order of first occurrence. */
  readonly items: Int32Array;
  /** Row i's positive: its column in `items`. */
  readonly labels: Int32Array;
  /** Added to column u of the logits `S/τ` [b, items.length]: log of u's multiplicity-and-logQ weight. */
  readonly columnBias: Float32Array;
  /**
   * Added on top of `columnBias` to row i's label column only (accidental-hit masking: the row keeps
   * its own occurrence of its positive, not the others); 0 without masking.
   */
  readonly labelShift: Float32Array;
  /** Added to row i's softmax cross-entropy so that it equals the loss over the full candidate list. */
  readonly rowCorrection: Float32Array;
}

/** Which of the main loss's corrections the bias carries. */
export interface CompactionFlags {
  readonly logQ: boolean;
  readonly maskAccidentalHits: boolean;
}

/**
 * The distinct items in order of first occurrence, and each candidate's column among them. A
 * lookup array over the item ids rather than a Map: this runs every step, and the Map's entries
 * and iterator were a good part of the step's garbage.
 */
function distinctColumns(candidates: Int32Array): { items: Int32Array; column: Int32Array } {
  let maxItem = 0;
  for (let k = 0; k < candidates.length; k++) maxItem = Math.max(maxItem, candidates[k]);
  const columnOf = new Int32Array(maxItem + 1).fill(-1);
  const column = new Int32Array(candidates.length);
  const items = new Int32Array(candidates.length);
  let distinct = 0;
  for (let k = 0; k < candidates.length; k++) {
    const item = candidates[k];
    if (columnOf[item] < 0) {
      columnOf[item] = distinct;
      items[distinct++] = item;
    }
    column[k] = columnOf[item];
  }
  return { items: items.slice(0, distinct), column };
}

/** −log q, q clipped as `applyLogQCorrection` clips it; 0 with logQ off. */
function minusLogQ(q: number, logQ: boolean): number {
  return logQ ? -Math.log(Math.min(1, Math.max(MIN_SAMPLING_PROBABILITY, q))) : 0;
}

/**
 * Rewrites InfoNCE over a candidate list with repeats as InfoNCE over its distinct items, exactly.
 * Candidates are `[b positives (row i's is candidate i); negatives]`, `q[k]` each one's sampling
 * probability. Occurrence k of item u adds `exp(s_iu − log q_k)` to row i's denominator (`− log q_k`
 * only with logQ), so all of u's occurrences together add `exp(s_iu + log Σ_k 1/q_k)`: that sum is
 * column u's bias. With accidental-hit masking, row i keeps only its own occurrence of its positive,
 * so its label column's bias is `− log q_i` (`labelShift` = that minus the column's bias). Without
 * masking, the denominator keeps every occurrence while the numerator is the row's own one: the
 * difference, a constant, goes into `rowCorrection`.
 *
 * @example
 *   // candidates [7, 7, 9], q [0.5, 0.5, 0.25], logQ and masking on:
 *   // items [7, 9], labels [0, 0], columnBias [log 4, log 4], labelShift [−log 2, −log 2]
 *   // (each row's bias on its own 7 is log 2: its other 7 is masked)
 */
export function compactCandidates(candidates: Int32Array, q: Float32Array, b: number, flags: CompactionFlags): CompactCandidates {
  const { items, column } = distinctColumns(candidates);
  const weight = new Float64Array(items.length);
  const ownLog = new Float64Array(q.length);
  for (let k = 0; k < q.length; k++) {
    ownLog[k] = minusLogQ(q[k], flags.logQ);
    weight[column[k]] += Math.exp(ownLog[k]);
  }
  const columnBias = new Float32Array(items.length);
  for (let c = 0; c < items.length; c++) columnBias[c] = Math.log(weight[c]);
  const labelShift = new Float32Array(b);
  const rowCorrection = new Float32Array(b);
  const labels = column.slice(0, b);
  for (let i = 0; i < b; i++) {
    if (flags.maskAccidentalHits) labelShift[i] = ownLog[i] - columnBias[labels[i]];
    else rowCorrection[i] = columnBias[labels[i]] - ownLog[i];
  }
  return { items, labels, columnBias, labelShift, rowCorrection };
}

/** The BCE baseline over distinct items: positives by label, negatives weighted by multiplicity. */
export interface CompactBceCandidates {
  readonly items: Int32Array;
  readonly labels: Int32Array;
  /** Added to row i's positive logit (−log q of its own occurrence, with logQ). */
  readonly positiveBias: Float32Array;
  /** Added to column u's negative logits (−log q of the sampler, with logQ). */
  readonly negativeBias: Float32Array;
  /** [b, items.length]: row i's count of u among the negatives ÷ G, 0 where masked. */
  readonly negativeWeight: Float32Array;
}

/**
 * Rewrites the pointwise BCE of `binaryCrossEntropy` (positive i at column i, negatives the
 * candidates from `negativeStart`, their softplus averaged over all G of them) over distinct items:
 * a negative drawn n times weighs n/G, and with accidental-hit masking a row's own positive item
 * weighs 0 among its negatives (the full list masks it to a zero term but still divides by G).
 */
export function compactBceCandidates(candidates: Int32Array, q: Float32Array, b: number, negativeStart: number, flags: CompactionFlags): CompactBceCandidates {
  const { items, column } = distinctColumns(candidates);
  const u = items.length;
  const labels = column.slice(0, b);
  const positiveBias = Float32Array.from(labels, (_, i) => minusLogQ(q[i], flags.logQ));
  const g = candidates.length - negativeStart;
  const counts = new Int32Array(u);
  const negativeBias = new Float32Array(u);
  for (let k = negativeStart; k < candidates.length; k++) {
    counts[column[k]]++;
    negativeBias[column[k]] = minusLogQ(q[k], flags.logQ);
  }
  const weightRow = Float32Array.from(counts, (n) => n / g);
  const negativeWeight = new Float32Array(b * u);
  for (let i = 0; i < b; i++) {
    negativeWeight.set(weightRow, i * u);
    if (flags.maskAccidentalHits) negativeWeight[i * u + labels[i]] = 0;
  }
  return { items, labels, positiveBias, negativeBias, negativeWeight };
}
