import { createRng } from '../common/rng.js';
import { evaluationInput, type EvaluationInput } from '../data/evaluation/evaluation-input.js';
import type { Snapshot } from '../data/snapshot.js';
import type { Kernels } from '../kernels/kernels.js';
import { scoresGemmOf } from '../kernels/scores-gemm.js';
import { alignment } from '../metrics/alignment.js';
import { embeddingQuality } from '../metrics/embedding-quality.js';
import { evaluateFullRanking } from '../metrics/evaluate-full-ranking.js';
import { evaluateMostPopular } from '../metrics/evaluate-most-popular.js';
import type { LoadedArtifact } from '../model/artifact/load-artifact.js';
import type { InteractionLog } from '../store/index.js';
import type { HoldoutScore, PopularityFloor } from './gate-decision.js';

/** Seed of the gate's sample of hold-out users: the same snapshot always gives the same sample. */
export const GATE_SAMPLE_SEED = 2024;

/** The hold-out users the gate scores every ranking on, drawn once per retrain. */
export interface GateSample {
  readonly snapshot: Snapshot;
  /** The whole hold-out: every user with a held-out item, their exclusions and truth. */
  readonly input: EvaluationInput;
  /** The sampled users, ascending (all of `input.users` when there are no more than the sample size). */
  readonly users: Int32Array;
}

/** A model's hold-out figures and each sampled user's Recall@K (in the order of `GateSample.users`), for paired comparisons. */
export interface ScoredHoldout {
  readonly score: HoldoutScore;
  readonly recall: Float64Array;
}

/** The most-popular ranking's figures on the sample, and each sampled user's Recall@K. */
export interface ScoredFloor {
  readonly floor: PopularityFloor;
  readonly recall: Float64Array;
}

/** `size` of `users` drawn uniformly without replacement (a partial Fisher–Yates shuffle by `seed`), ascending. Pure. */
export function sampleUsers(users: Int32Array, size: number, seed: number): Int32Array {
  if (size >= users.length) return users.slice();
  const pool = users.slice();
  const rng = createRng(seed);
  for (let i = 0; i < size; i++) {
    const j = i + rng.int(pool.length - i);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.subarray(0, size).sort();
}

/**
 * The gate's sample: `size` users of the snapshot's validation hold-out (the newest interactions
 * of each user), drawn with a fixed seed. Every ranking the gate compares (the candidate, the
 * active model, most-popular) is scored exactly, over the whole catalogue, on these same users,
 * so that their per-user differences pair up and the sample's noise can be measured.
 */
export function gateSample(snapshot: Snapshot, size: number, seed = GATE_SAMPLE_SEED): GateSample {
  const input = evaluationInput({ kind: 'holdout', snapshot });
  return { snapshot, input, users: sampleUsers(input.users, size, seed) };
}

/** Rows [numItems, dim] of the log's items: the artifact's own rows, its item tower's for the items it does not know. */
function catalogueEmbeddings(artifact: LoadedArtifact, log: InteractionLog): Float32Array {
  const dim = artifact.manifest.dim;
  const known = new Map(artifact.itemIds.map((id, row) => [id, row]));
  const out = new Float32Array(log.items.length * dim);
  const unknown: number[] = [];
  log.items.forEach((item, i) => {
    const row = known.get(item.externalId);
    if (row === undefined) unknown.push(i);
    else out.set(artifact.itemEmbeddings.subarray(row * dim, (row + 1) * dim), i * dim);
  });
  const embedded = artifact.embedItems(unknown.map((i) => ({ itemId: log.items[i].externalId, features: log.items[i].features })));
  unknown.forEach((i, p) => out.set(embedded.subarray(p * dim, (p + 1) * dim), i * dim));
  return out;
}

/** Rows [numUsers, dim] with the sampled users' rows filled (their training history as the query), the others zero. */
function sampleEmbeddings(artifact: LoadedArtifact, log: InteractionLog, sample: GateSample): Float32Array {
  const dim = artifact.manifest.dim;
  const { trainItems } = sample.snapshot;
  const queries = Array.from(sample.users, (u) => ({
    userId: log.users[u].externalId,
    features: log.users[u].features,
    recentItems: Array.from(trainItems.rows.subarray(trainItems.offsets[u], trainItems.offsets[u + 1]), (i) => log.items[i].externalId),
  }));
  const embedded = artifact.embedUsers(queries);
  const out = new Float32Array(log.users.length * dim);
  sample.users.forEach((u, p) => out.set(embedded.subarray(p * dim, (p + 1) * dim), u * dim));
  return out;
}

/**
 * Scores a model artifact on the gate's sample of the hold-out, so that the new and the active
 * model are compared like with like: the same users, the same truth, the same catalogue (the
 * snapshot's items; items the model does not know are embedded by its item tower from their
 * features), each user embedded by the model's user tower from their training history only (the
 * held-out items never leak into the query), their training items excluded from the ranking.
 * Both towers run in batches, the ranking's scores on `kernels`' native GEMM where it loads.
 * Recall@K/NDCG@K by `evaluateFullRanking` (with each user's recall, for the paired standard
 * error), alignment and item uniformity by `embeddingQuality`, and the alignment of the same
 * users with random items as its baseline (fixed seed: deterministic).
 */
export function scoreOnHoldout(kernels: Kernels, artifact: LoadedArtifact, log: InteractionLog, sample: GateSample, k: number): ScoredHoldout {
  const dim = artifact.manifest.dim;
  const itemEmbeddings = catalogueEmbeddings(artifact, log);
  const userEmbeddings = sampleEmbeddings(artifact, log, sample);
  const { exclude, truth } = sample.input;
  const ranking = evaluateFullRanking({
    userEmbeddings,
    itemEmbeddings,
    dim,
    users: sample.users,
    exclude,
    truth,
    ks: [k],
    matMul: scoresGemmOf(kernels),
    perUser: true,
  });
  const pairUsers: number[] = [];
  const pairItems: number[] = [];
  for (const u of sample.users) {
    for (let p = truth.offsets[u]; p < truth.offsets[u + 1]; p++) {
      pairUsers.push(u);
      pairItems.push(truth.items[p]);
    }
  }
  const rng = createRng(2024);
  const quality = embeddingQuality({ userEmbeddings, itemEmbeddings, dim, pairUsers: Int32Array.from(pairUsers), pairItems: Int32Array.from(pairItems) }, rng);
  // The same users paired with uniformly drawn items: what alignment is worth when nothing is learnt.
  const gather = (emb: Float32Array, rows: readonly number[]): Float32Array => {
    const out = new Float32Array(rows.length * dim);
    rows.forEach((r, j) => out.set(emb.subarray(r * dim, (r + 1) * dim), j * dim));
    return out;
  };
  const numItems = log.items.length;
  const randomAlignment = alignment(
    gather(userEmbeddings, pairUsers),
    gather(
      itemEmbeddings,
      pairUsers.map(() => rng.int(numItems)),
    ),
    dim,
  );
  return {
    score: {
      recall: ranking.atK[0].recall,
      ndcg: ranking.atK[0].ndcg,
      alignment: quality.alignment,
      randomAlignment,
      itemUniformity: quality.itemUniformity,
      users: ranking.evaluatedUsers,
    },
    recall: ranking.perUser!.recall[0],
  };
}

/**
 * The most-popular ranking on the gate's sample `scoreOnHoldout` scores the models on: the same
 * users, the same exclusions (their training items) and the same truth, items ranked by how often
 * they occur in the snapshot's training interactions (the held-out ones never count, or the
 * baseline would peek at the answers). Deterministic.
 */
export function scoreMostPopularOnHoldout(sample: GateSample, k: number): ScoredFloor {
  const { input } = sample;
  const r = evaluateMostPopular({ itemCounts: input.itemPopularity, users: sample.users, exclude: input.exclude, truth: input.truth, ks: [k], perUser: true });
  return { floor: { recall: r.atK[0].recall, ndcg: r.atK[0].ndcg, users: r.evaluatedUsers }, recall: r.perUser!.recall[0] };
}
