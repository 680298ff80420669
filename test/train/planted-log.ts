import { createRng } from '../../src/common/rng.js';
import type { InteractionLog } from '../../src/store/interaction-log.js';

/**
 * A log with planted structure for tests: `clusters` groups of `perCluster` items; each user belongs
 * to one cluster and interacts with `perUser` distinct items of it, at increasing timestamps. Users
 * carry their cluster as a feature half of the time; items always carry a genre = their cluster.
 * A model that learns the structure ranks the user's cluster first: Recall@20 near 1, while a
 * random ranking gets about 20 / #items.
 */
export function plantedLog(seed: number, users = 120, clusters = 6, perCluster = 20, perUser = 10): InteractionLog {
  const rng = createRng(seed);
  const items = Array.from({ length: clusters * perCluster }, (_, i) => ({
    externalId: `i${i}`,
    features: { genre: `g${Math.floor(i / perCluster)}` },
  }));
  const userRecords = [];
  const user: number[] = [];
  const item: number[] = [];
  const ts: number[] = [];
  for (let u = 0; u < users; u++) {
    const c = u % clusters;
    userRecords.push({ externalId: `u${u}`, features: rng.next() < 0.5 ? { segment: `s${c}` } : {} });
    const chosen = new Set<number>();
    while (chosen.size < perUser) chosen.add(c * perCluster + rng.int(perCluster));
    [...chosen].forEach((i, k) => {
      user.push(u);
      item.push(i);
      ts.push(1000 + k * 10 + u);
    });
  }
  const order = user.map((_, k) => k).sort((a, b) => ts[a] - ts[b] || user[a] - user[b] || item[a] - item[b]);
  return {
    users: userRecords,
    items,
    featureFields: [
      { entity: 'user', name: 'segment', kind: 'categorical' },
      { entity: 'item', name: 'genre', kind: 'categorical' },
    ],
    interactions: {
      user: Int32Array.from(order, (k) => user[k]),
      item: Int32Array.from(order, (k) => item[k]),
      ts: Float64Array.from(order, (k) => ts[k]),
      weight: new Float32Array(order.length).fill(1),
    },
  };
}
