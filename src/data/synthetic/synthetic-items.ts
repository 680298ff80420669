import type { Rng } from '../../common/rng.js';
import { madeUpWords } from './made-up-words.js';
import { cumulativeWeights, shuffle } from './weighted-choice.js';

/** A generated item: display fields, features, and its hidden main topic. */
export interface SyntheticItem {
  readonly id: string;
  readonly title: string;
  /** The topic's name, or with probability 0.1 a random topic's name (label noise). */
  readonly category: string;
  /** 1–4 distinct tags, each from the topic's pool with probability 0.85. */
  readonly tags: readonly string[];
  readonly price: number;
  /** Hidden ground truth: index into the topic list. */
  readonly topic: number;
}

/** The catalogue: topics, items, and per-topic Zipf popularity for sampling. */
export interface SyntheticCatalogue {
  readonly topics: readonly string[];
  readonly items: readonly SyntheticItem[];
  /** Item indices of each topic, most popular first. */
  readonly topicItems: readonly Int32Array[];
  /** Cumulative Zipf weights (exponent 1.1) over `topicItems[t]`. */
  readonly topicPopularity: readonly Float64Array[];
}

const TAGS_PER_TOPIC = 6;
const ZIPF_EXPONENT = 1.1;

/** Builds topics and items with their features (see `generateSynthetic` for the model). */
export function generateItems(numItems: number, numTopics: number, rng: Rng): SyntheticCatalogue {
  const used = new Set<string>();
  const topics = madeUpWords(numTopics, rng, used);
  const pools = topics.map(() => madeUpWords(TAGS_PER_TOPIC, rng, used));
  const priceLevel = topics.map(() => Math.log(5 + 95 * rng.next()));
  const titleWords = madeUpWords(Math.min(400, 4 * numItems), rng, used);
  const topicOf = shuffle(
    Int32Array.from({ length: numItems }, (_, i) => i % numTopics),
    rng,
  );

  const items = Array.from(topicOf, (topic, i): SyntheticItem => {
    const category = rng.next() < 0.9 ? topics[topic] : topics[rng.int(numTopics)];
    const tags = new Set<string>();
    const want = 1 + rng.int(4);
    while (tags.size < want) {
      const pool = rng.next() < 0.85 ? pools[topic] : pools[rng.int(numTopics)];
      tags.add(pool[rng.int(pool.length)]);
    }
    const price = Math.round(Math.exp(priceLevel[topic] + 0.3 * rng.normal()) * 100) / 100;
    const w1 = titleWords[rng.int(titleWords.length)];
    const w2 = titleWords[rng.int(titleWords.length)];
    const title = `${capitalise(w1)} ${w2} ${i + 1}`;
    return { id: `i${i + 1}`, title, category, tags: [...tags], price, topic };
  });

  const topicItems = topics.map((_, t) =>
    shuffle(
      Int32Array.from(items.keys()).filter((i) => topicOf[i] === t),
      rng,
    ),
  );
  const topicPopularity = topicItems.map((list) => cumulativeWeights(Array.from(list, (_, r) => 1 / Math.pow(r + 1, ZIPF_EXPONENT))));
  return { topics, items, topicItems, topicPopularity };
}

function capitalise(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}
