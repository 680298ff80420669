import { createRng } from '../common/rng.js';
import { evaluationInput, rankingInputOf } from '../data/evaluation/evaluation-input.js';
import type { Snapshot } from '../data/snapshot.js';
import { alignment } from '../metrics/alignment.js';
import { embeddingQuality } from '../metrics/embedding-quality.js';
import { evaluateFullRanking } from '../metrics/evaluate-full-ranking.js';
import { evaluateMostPopular } from '../metrics/evaluate-most-popular.js';
import type { LoadedArtifact } from '../model/artifact/load-artifact.js';
import type { InteractionLog } from '../store/index.js';
import type { HoldoutScore, PopularityFloor } from './gate-decision.js';

/**
 * Scores a model artifact on a snapshot's validation hold-out (the newest interactions of each
 * user), so that the new and the active model are compared like with like: the same users,
 * the same truth, the same catalogue (the snapshot's items; an item the model does not know is
 * embedded by its item tower from its features), each user embedded by the model's user tower
 * from their training history only (the held-out items never leak into the query), their
 * training items excluded from the ranking. Recall@K/NDCG@K by `evaluateFullRanking`,
 * alignment and item uniformity by `embeddingQuality`, and the alignment of the same users with
 * random items as its baseline (fixed seed: deterministic).
 */
export function scoreOnHoldout(artifact: LoadedArtifact, log: InteractionLog, snapshot: Snapshot, k: number): HoldoutScore {
  const dim = artifact.manifest.dim;
  const known = new Map(artifact.itemIds.map((id, row) => [id, row]));
  const numItems = log.items.length;
  const itemEmbeddings = new Float32Array(numItems * dim);
  log.items.forEach((item, i) => {
    const row = known.get(item.externalId);
    const v =
      row === undefined
        ? artifact.embedItem({ itemId: item.externalId, features: item.features })
        : artifact.itemEmbeddings.subarray(row * dim, (row + 1) * dim);
    itemEmbeddings.set(v, i * dim);
  });
  const input = evaluationInput({ kind: 'holdout', snapshot });
  const { truth } = input;
  const { trainItems } = snapshot;
  const userEmbeddings = new Float32Array(log.users.length * dim);
  const pairUsers: number[] = [];
  const pairItems: number[] = [];
  for (const u of input.users) {
    const user = log.users[u];
    const history = Array.from(trainItems.rows.subarray(trainItems.offsets[u], trainItems.offsets[u + 1]), (i) => log.items[i].externalId);
    userEmbeddings.set(artifact.embedUser({ userId: user.externalId, features: user.features, recentItems: history }), u * dim);
    for (let p = truth.offsets[u]; p < truth.offsets[u + 1]; p++) {
      pairUsers.push(u);
      pairItems.push(truth.items[p]);
    }
  }
  const ranking = evaluateFullRanking({ userEmbeddings, itemEmbeddings, dim, ...rankingInputOf(input), ks: [k] });
  const rng = createRng(2024);
  const quality = embeddingQuality({ userEmbeddings, itemEmbeddings, dim, pairUsers: Int32Array.from(pairUsers), pairItems: Int32Array.from(pairItems) }, rng);
  // The same users paired with uniformly drawn items: what alignment is worth when nothing is learnt.
  const gather = (emb: Float32Array, rows: readonly number[]): Float32Array => {
    const out = new Float32Array(rows.length * dim);
    rows.forEach((r, j) => out.set(emb.subarray(r * dim, (r + 1) * dim), j * dim));
    return out;
  };
  const randomAlignment = alignment(
    gather(userEmbeddings, pairUsers),
    gather(
      itemEmbeddings,
      pairUsers.map(() => rng.int(numItems)),
    ),
    dim,
  );
  return {
    recall: ranking.atK[0].recall,
    ndcg: ranking.atK[0].ndcg,
    alignment: quality.alignment,
    randomAlignment,
    itemUniformity: quality.itemUniformity,
    users: ranking.evaluatedUsers,
  };
}

/**
 * The most-popular ranking on the same hold-out `scoreOnHoldout` scores the models on: the same
 * users (every user with a held-out item), the same exclusions (their training items) and the
 * same truth, items ranked by how often they occur in the snapshot's training interactions (the
 * held-out ones never count, or the baseline would peek at the answers). Deterministic.
 */
export function scoreMostPopularOnHoldout(snapshot: Snapshot, k: number): PopularityFloor {
  const input = evaluationInput({ kind: 'holdout', snapshot });
  const r = evaluateMostPopular({ itemCounts: input.itemPopularity, ...rankingInputOf(input), ks: [k] });
  return { recall: r.atK[0].recall, ndcg: r.atK[0].ndcg, users: r.evaluatedUsers };
}
