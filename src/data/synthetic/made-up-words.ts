import type { Rng } from '../../common/rng.js';

const ONSETS = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'dr', 'kl', 'st', 'tr', 'sh'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou'];
const CODAS = ['', '', 'n', 'r', 'l', 's', 'x', 'k'];

/**
 * Draws `count` distinct pronounceable made-up words (2–3 syllables), none of them in
 * `avoid`, which is extended with them: names for topics, tags and titles that carry no
 * meaning of their own, so that any structure a model finds was planted by the generator.
 */
export function madeUpWords(count: number, rng: Rng, avoid: Set<string> = new Set()): string[] {
  const words: string[] = [];
  while (words.length < count) {
    const syllables = 2 + rng.int(2);
    let w = '';
    for (let s = 0; s < syllables; s++) w += ONSETS[rng.int(ONSETS.length)] + VOWELS[rng.int(VOWELS.length)];
    w += CODAS[rng.int(CODAS.length)];
    if (avoid.has(w)) continue;
    avoid.add(w);
    words.push(w);
  }
  return words;
}
