/**
 * A token ↔ row mapping for one embedding table. Row 0 is the out-of-vocabulary row: tokens
 * seen fewer than `minCount` times in the training data, and tokens first seen at serving
 * time, all map there, so an unseen value still gets a (learned) embedding.
 */
export interface Vocabulary {
  /** `tokens[row]`; `tokens[0]` is the empty string standing for OOV. */
  readonly tokens: readonly string[];
  readonly index: ReadonlyMap<string, number>;
}

/** The OOV row every vocabulary reserves. */
export const OOV_ROW = 0;

/**
 * Builds a vocabulary from token counts: every token with count ≥ `minCount` gets its own row,
 * in first-seen order (the Map's insertion order), after the OOV row.
 */
export function buildVocabulary(counts: ReadonlyMap<string, number>, minCount: number): Vocabulary {
  const tokens = [''];
  for (const [token, count] of counts) if (count >= minCount) tokens.push(token);
  return vocabularyFromTokens(tokens);
}

/** Rebuilds a vocabulary from its saved token list (row order preserved). */
export function vocabularyFromTokens(tokens: readonly string[]): Vocabulary {
  const index = new Map<string, number>();
  for (let r = 1; r < tokens.length; r++) index.set(tokens[r], r);
  return { tokens, index };
}

/** The row of `token`, or {@link OOV_ROW} when it is not in the vocabulary. */
export function lookupRow(vocab: Vocabulary, token: string): number {
  return vocab.index.get(token) ?? OOV_ROW;
}
