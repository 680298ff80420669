import { generateSynthetic } from '../src/data/synthetic/generate-synthetic.js';
import type { InteractionLog } from '../src/store/interaction-log.js';

/**
 * A seeded synthetic log (the bundled generator, 64 topics, no noise) for the benchmarks that need
 * a large catalogue: bench:train's 1M interactions over 100k items, bench:serve's trained model.
 */
export function syntheticLog(interactions: number, items: number, users: number): InteractionLog {
  const d = generateSynthetic({ users, items, interactions, noise: 0, seed: 1, topics: 64 });
  return {
    users: d.users.map((u) => ({ externalId: u.id, features: { region: u.region, age: u.age } })),
    items: d.items.map((i) => ({ externalId: i.id, features: { category: i.category, tags: i.tags, price: i.price } })),
    featureFields: [
      { entity: 'user', name: 'region', kind: 'categorical' },
      { entity: 'user', name: 'age', kind: 'numeric' },
      { entity: 'item', name: 'category', kind: 'categorical' },
      { entity: 'item', name: 'tags', kind: 'multi' },
      { entity: 'item', name: 'price', kind: 'numeric' },
    ],
    interactions: { user: d.interactions.user, item: d.interactions.item, ts: d.interactions.ts, weight: new Float32Array(d.interactions.user.length).fill(1) },
  };
}
