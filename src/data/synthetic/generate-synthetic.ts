import { createRng, type Rng } from '../../common/rng.js';
import { MIN_USER_INTERACTIONS, maxUserInteractions, type SyntheticConfig } from './synthetic-config.js';
import { generateItems, type SyntheticItem } from './synthetic-items.js';
import { allocateActivity, generateUsers, type SyntheticUser } from './synthetic-users.js';
import { pickWeighted } from './weighted-choice.js';

/** Interactions as parallel arrays sorted by (ts, user, item), with the noise ground truth. */
export interface SyntheticInteractions {
  readonly user: Int32Array;
  readonly item: Int32Array;
  /** Unix seconds, strictly increasing within each user. */
  readonly ts: Float64Array;
  /** 1 for an injected noise row (a uniformly random unseen item), else 0. */
  readonly noise: Uint8Array;
}

/** A generated data set with its hidden structure (topics, preferences) kept for checking. */
export interface SyntheticDataset {
  readonly topics: readonly string[];
  readonly items: readonly SyntheticItem[];
  readonly users: readonly SyntheticUser[];
  readonly interactions: SyntheticInteractions;
}

/** 2020-01-01T00:00:00Z and a two-year span: the range all timestamps fall in. */
const START = 1_577_836_800;
const SPAN = 2 * 365 * 86_400;
const RETRIES = 30;

/**
 * Generates a data set with planted structure, deterministically from `config.seed`: T topics;
 * each item has a main topic that shows in its category and tags and shifts its price; each
 * user prefers 1–3 topics (which shifts region and age); item popularity is Zipf within a
 * topic and user activity log-normal (≥ 5 each). A clean interaction picks a topic from the
 * user's preferences and an item by popularity within it; a fraction `noise` of all
 * interactions (chosen at random) is instead a uniformly random item. No (user, item) pair
 * repeats: a clean draw that keeps hitting seen items falls back to a random unseen item of
 * the user's topics (activity is capped at 80 % of those, see `activityCaps`), then of any.
 * Each user's timestamps are increasing, inside a random window of the two-year range.
 * `onProgress(done, total)` is called after each block of users.
 */
export function generateSynthetic(config: SyntheticConfig, onProgress?: (done: number, total: number) => void): SyntheticDataset {
  const root = createRng(config.seed);
  const catalogue = generateItems(config.items, config.topics, root.fork());
  const users = generateUsers(config.users, config.topics, root.fork());
  const counts = allocateActivity(config.interactions, activityCaps(config, users, catalogue.topicItems), root.fork());
  const noiseSlots = markNoise(config.interactions, Math.round(config.noise * config.interactions), root.fork());
  const rng = root.fork();

  const K = config.interactions;
  const user = new Int32Array(K);
  const item = new Int32Array(K);
  const ts = new Float64Array(K);
  const seen = new Int32Array(config.items).fill(-1);
  const pickUnseen = (u: number): number => {
    for (let a = 0; a < RETRIES; a++) {
      const i = rng.int(config.items);
      if (seen[i] !== u) return i;
    }
    for (let i = rng.int(config.items); ; i = (i + 1) % config.items) if (seen[i] !== u) return i;
  };
  // When popularity draws keep hitting seen items: any unseen item of the user's topics.
  const pickUnseenOnTaste = (u: number, topics: readonly number[]): number => {
    const pool = topics.flatMap((t) => Array.from(catalogue.topicItems[t])).filter((i) => seen[i] !== u);
    return pool.length > 0 ? pool[rng.int(pool.length)] : -1;
  };
  let g = 0;
  for (let u = 0; u < config.users; u++) {
    const prefs = users[u];
    const times = userTimes(counts[u], rng);
    for (let j = 0; j < counts[u]; j++, g++) {
      let chosen = -1;
      if (noiseSlots[g] === 0) {
        for (let a = 0; a < RETRIES && chosen < 0; a++) {
          const t = prefs.topics[pickWeighted(prefs.topicWeights, rng)];
          const i = catalogue.topicItems[t][pickWeighted(catalogue.topicPopularity[t], rng)];
          if (seen[i] !== u) chosen = i;
        }
        if (chosen < 0) chosen = pickUnseenOnTaste(u, prefs.topics);
      }
      if (chosen < 0) chosen = pickUnseen(u);
      seen[chosen] = u;
      user[g] = u;
      item[g] = chosen;
      ts[g] = times[j];
    }
    if (onProgress && (u % 1000 === 999 || u === config.users - 1)) onProgress(g, K);
  }
  const order = Int32Array.from({ length: K }, (_, r) => r).sort((a, b) => ts[a] - ts[b] || user[a] - user[b] || item[a] - item[b]);
  return {
    topics: catalogue.topics,
    items: catalogue.items,
    users,
    interactions: {
      user: order.map((r) => user[r]),
      item: order.map((r) => item[r]),
      ts: Float64Array.from(order, (r) => ts[r]),
      noise: Uint8Array.from(order, (r) => noiseSlots[r]),
    },
  };
}

/**
 * Per-user activity caps: 80 % of the items in the user's topics, so that tastes are not
 * exhausted; when that cannot hold K interactions, everyone may go up to half the catalogue.
 */
function activityCaps(config: SyntheticConfig, users: readonly SyntheticUser[], topicItems: readonly Int32Array[]): Int32Array {
  const caps = Int32Array.from(users, (u) => Math.max(MIN_USER_INTERACTIONS, Math.floor(0.8 * u.topics.reduce((s, t) => s + topicItems[t].length, 0))));
  const total = caps.reduce((s, c) => s + c, 0);
  if (total < config.interactions) caps.forEach((c, u) => (caps[u] = Math.max(c, maxUserInteractions(config.items))));
  return caps;
}

/** A mask over `total` slots with exactly `count` ones at uniformly random positions. */
function markNoise(total: number, count: number, rng: Rng): Uint8Array {
  const slots = Int32Array.from({ length: total }, (_, i) => i);
  const mask = new Uint8Array(total);
  for (let j = 0; j < count; j++) {
    const pick = j + rng.int(total - j);
    [slots[j], slots[pick]] = [slots[pick], slots[j]];
    mask[slots[j]] = 1;
  }
  return mask;
}

/** n strictly increasing whole-second timestamps in a random window of the range. */
function userTimes(n: number, rng: Rng): Float64Array {
  const length = Math.floor(SPAN * (0.1 + 0.3 * rng.next()));
  const start = START + Math.floor((SPAN - length) * rng.next());
  const times = Float64Array.from({ length: n }, () => start + Math.floor(rng.next() * length)).sort();
  for (let j = 1; j < n; j++) if (times[j] <= times[j - 1]) times[j] = times[j - 1] + 1;
  return times;
}
