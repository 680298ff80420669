/**
 * The model's scores over its own training log, as the adaptive temperature reads them: the mean
 * score of a training (user, item) pair, and the mean score of a user against the whole catalogue
 * (each user once, against the mean item vector). Scores are dot products of the towers' unit
 * vectors, i.e. cosines.
 */
export interface ScoreStatistics {
  /** Mean score s⁺ over the training pairs. */
  readonly positiveMean: number;
  /** Mean over the users with training pairs of their mean score against every item, s̄. */
  readonly catalogueMean: number;
  /** Users with at least one training pair. */
  readonly users: number;
  /** Training pairs. */
  readonly pairs: number;
  /** Items in the catalogue. */
  readonly items: number;
}

/**
 * {@link ScoreStatistics} of row-major embeddings `users` [U, dim] and `items` [I, dim] over the
 * training pairs (`pairUsers[k]`, `pairItems[k]`). Pure; O(pairs · dim + (U + I) · dim).
 */
export function scoreStatistics(users: Float32Array, items: Float32Array, dim: number, pairUsers: Int32Array, pairItems: Int32Array): ScoreStatistics {
  const numItems = items.length / dim;
  const meanItem = new Float64Array(dim);
  for (let i = 0; i < numItems; i++) for (let k = 0; k < dim; k++) meanItem[k] += items[i * dim + k] / numItems;
  let positiveSum = 0;
  for (let p = 0; p < pairUsers.length; p++) {
    const u = pairUsers[p] * dim;
    const i = pairItems[p] * dim;
    for (let k = 0; k < dim; k++) positiveSum += users[u + k] * items[i + k];
  }
  const seen = new Uint8Array(users.length / dim);
  let catalogueSum = 0;
  let numUsers = 0;
  for (const user of pairUsers) {
    if (seen[user] === 1) continue;
    seen[user] = 1;
    numUsers++;
    for (let k = 0; k < dim; k++) catalogueSum += users[user * dim + k] * meanItem[k];
  }
  return {
    positiveMean: pairUsers.length === 0 ? 0 : positiveSum / pairUsers.length,
    catalogueMean: numUsers === 0 ? 0 : catalogueSum / numUsers,
    users: numUsers,
    pairs: pairUsers.length,
    items: numItems,
  };
}

/**
 * The temperature of Adap-τ's global rule (Chen et al., "Adap-τ: Adaptively Modulating Embedding
 * Magnitude for Recommendation", WWW 2023): τ = (s⁺ − s̄) / (ln(I · U / P) − ln 2). It is the τ at
 * which a user's training items, each scored s⁺ against a catalogue scored s̄ on average, hold
 * half of the user's softmax over the catalogue: P/U positives · e^(s⁺/τ) = ½ · I · e^(s̄/τ). A
 * sparser log (more items per positive of a user) asks for a sharper softmax at the same margin;
 * a model that separates its positives further gets a softer one. Null where the rule has no
 * answer: no margin yet (s⁺ ≤ s̄, e.g. at initialisation) or a log so dense (P/U ≥ I/2) that
 * the positives hold half the mass at any τ. The clamp to [min, max] keeps one noisy estimate
 * from collapsing or flattening the softmax.
 */
export function adaptiveTemperature(stats: ScoreStatistics, min: number, max: number): number | null {
  const margin = stats.positiveMean - stats.catalogueMean;
  if (stats.pairs === 0 || !(margin > 0)) return null;
  const scale = Math.log((stats.items * stats.users) / stats.pairs) - Math.log(2);
  if (!(scale > 0)) return null;
  return Math.min(max, Math.max(min, margin / scale));
}
