import type { Rng } from '../../common/rng.js';
import { MIN_USER_INTERACTIONS } from './synthetic-config.js';
import { cumulativeWeights } from './weighted-choice.js';

/** A generated user: features and hidden topic preferences. */
export interface SyntheticUser {
  readonly id: string;
  /** One of `REGIONS`; with probability 0.5 the region tied to the main topic. */
  readonly region: string;
  /** Years, 16–80, shifted by the main topic. */
  readonly age: number;
  /** Hidden ground truth: 1–3 preferred topics and their cumulative weights. */
  readonly topics: readonly number[];
  readonly topicWeights: Float64Array;
}

const REGIONS = ['north', 'south', 'east', 'west', 'central', 'islands'];

/** Builds users: 1–3 preferred topics with Dirichlet(1) weights, region and age. */
export function generateUsers(numUsers: number, numTopics: number, rng: Rng): SyntheticUser[] {
  return Array.from({ length: numUsers }, (_, u): SyntheticUser => {
    const want = Math.min(numTopics, 1 + rng.int(3));
    const topics: number[] = [];
    while (topics.length < want) {
      const t = rng.int(numTopics);
      if (!topics.includes(t)) topics.push(t);
    }
    // Normalised exponentials are a Dirichlet(1, …, 1) draw.
    const weights = topics.map(() => -Math.log(1 - rng.next()));
    const main = topics[weights.indexOf(Math.max(...weights))];
    const region = rng.next() < 0.5 ? REGIONS[main % REGIONS.length] : REGIONS[rng.int(REGIONS.length)];
    const age = Math.min(80, Math.max(16, Math.round(20 + 5 * (main % 6) + 8 * rng.normal())));
    return { id: `u${u + 1}`, region, age, topics, topicWeights: cumulativeWeights(weights) };
  });
}

/**
 * Interactions per user: at least 5 each, the rest shared in proportion to long-tailed
 * (log-normal, σ = 1) activity weights, user u capped at `caps[u]` (≥ 5, Σ caps ≥ total);
 * rounding remainders and what capped users cannot take go to the most active users that
 * still have room.
 */
export function allocateActivity(total: number, caps: Int32Array, rng: Rng): Int32Array {
  const numUsers = caps.length;
  const counts = new Int32Array(numUsers).fill(MIN_USER_INTERACTIONS);
  const weight = Float64Array.from({ length: numUsers }, () => Math.exp(rng.normal()));
  let left = total - MIN_USER_INTERACTIONS * numUsers;
  while (left > 0) {
    let open = 0;
    for (let u = 0; u < numUsers; u++) if (counts[u] < caps[u]) open += weight[u];
    let given = 0;
    for (let u = 0; u < numUsers; u++) {
      if (counts[u] >= caps[u]) continue;
      const add = Math.min(caps[u] - counts[u], Math.floor((left * weight[u]) / open));
      counts[u] += add;
      given += add;
    }
    left -= given;
    if (given === 0) {
      const byWeight = Array.from(counts.keys()).sort((a, b) => weight[b] - weight[a] || a - b);
      for (const u of byWeight) {
        if (left === 0) break;
        if (counts[u] < caps[u]) {
          counts[u]++;
          left--;
        }
      }
    }
  }
  return counts;
}
