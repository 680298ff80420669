import type { Rng } from '../common/rng.js';
import type { BagColumn } from '../data/bag-column.js';
import type { FeatureSpec } from '../data/feature-spec.js';
import type { Snapshot } from '../data/snapshot.js';
import type { Kernels } from '../kernels/kernels.js';
import { gatherBags, gatherHistory, gatherLeaveOneOut, type BatchBags } from './batch-bags.js';
import { towerOutputDim, type ModelConfig } from './model-config.js';
import { disposeMlp } from './mlp.js';
import { createTower, embedBags, type Tower } from './tower.js';

/** Name of the user tower's history-bag feature (its tokens are the item-id vocabulary). */
export const HISTORY_FEATURE = '@history';

/** User tower + item tower; the user tower's last field is the history bag when `useHistory`. */
export interface TwoTowerModel {
  readonly config: ModelConfig;
  readonly user: Tower;
  readonly item: Tower;
}

/** The user tower's feature specs for a snapshot: its own fields, then the history bag. */
export function userFieldSpecs(snapshot: Snapshot, config: ModelConfig): FeatureSpec[] {
  const history: FeatureSpec = { name: HISTORY_FEATURE, kind: 'multi', tokens: snapshot.items.specs[0].tokens, boundaries: [] };
  return config.useHistory ? [...snapshot.users.specs, history] : [...snapshot.users.specs];
}

/** A freshly initialised model for a snapshot's vocabularies. */
export function createTwoTowerModel(snapshot: Snapshot, config: ModelConfig, rng: Rng): TwoTowerModel {
  const { embeddingDim: d, fieldCombiner: c, hiddenSizes: h, initScale: s } = config;
  const userSpecs = userFieldSpecs(snapshot, config);
  const user = createTower(userSpecs, d, c, h, s, rng);
  const item = createTower(snapshot.items.specs, d, c, h, s, rng);
  if (!(config.useHistory && config.shareHistoryTable)) return { config, user, item };
  const shared = userSpecs.map((_, f) => (f === userSpecs.length - 1 ? item.tables[0] : user.tables[f]));
  return { config, user: { ...user, tables: shared }, item };
}

/** Frees the model's TF.js variables; its tables are plain arrays the GC takes. */
export function disposeModel(model: TwoTowerModel): void {
  disposeMlp(model.user.mlp);
  disposeMlp(model.item.mlp);
}

/** Item bags (one per item field) for these item indices. */
export function itemBags(snapshot: Snapshot, items: ArrayLike<number>): BatchBags[] {
  return snapshot.items.columns.map((c) => gatherBags(c, items));
}

/**
 * Which history rows a batch's users pool: those before `ends` (absolute indices into
 * userHistory.rows), or all but `self` (each user's target row; a random subset above the cap),
 * up to `ends` when given.
 */
export type HistoryWindow =
  | { readonly kind: 'before'; readonly ends: Int32Array }
  | { readonly kind: 'all-but'; readonly self: Int32Array; readonly rng: Rng; readonly ends?: Int32Array };

/** User bags for these users: their features, then (with `useHistory`) the history window's bag. */
export function userBags(snapshot: Snapshot, config: ModelConfig, users: ArrayLike<number>, window: HistoryWindow): BatchBags[] {
  const bags = snapshot.users.columns.map((c) => gatherBags(c, users));
  if (!config.useHistory) return bags;
  bags.push(historyBag(snapshot.userHistory, users, window, config.historyMaxLength));
  return bags;
}

/** The history bags of a window over `history` (at most `maxLength` rows each; 0 = all). */
export function historyBag(history: BagColumn, users: ArrayLike<number>, window: HistoryWindow, maxLength: number): BatchBags {
  return window.kind === 'before'
    ? gatherHistory(history, users, window.ends, maxLength)
    : gatherLeaveOneOut(history, users, window.self, maxLength, window.rng, window.ends);
}

function range(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** Rows per tower forward pass when a whole population is embedded: thousands of rows a call, bounded memory. */
export const EMBED_BATCH = 4096;

/** Embeddings of every item [numItems, d], in batches to bound memory, on `kernels`. */
export function embedAllItems(kernels: Kernels, model: TwoTowerModel, snapshot: Snapshot, batch = EMBED_BATCH): Float32Array {
  return embedInBatches(snapshot.items.externalIds.length, towerOutputDim(model.config), batch, (ids) =>
    embedBags(kernels, model.item, itemBags(snapshot, ids)),
  );
}

/**
 * Embeddings of every user [numUsers, d] from their features and whole history: the snapshot's
 * training history, or `history` (e.g. `servingHistory`, all interactions) when given; on `kernels`.
 */
export function embedAllUsers(
  kernels: Kernels,
  model: TwoTowerModel,
  snapshot: Snapshot,
  history: BagColumn = snapshot.userHistory,
  batch = EMBED_BATCH,
): Float32Array {
  const s = history === snapshot.userHistory ? snapshot : { ...snapshot, userHistory: history };
  const ends = history.offsets.subarray(1);
  return embedInBatches(snapshot.users.externalIds.length, towerOutputDim(model.config), batch, (ids) =>
    embedBags(kernels, model.user, userBags(s, model.config, ids, { kind: 'before', ends: ids.map((u) => ends[u]) })),
  );
}

/**
 * Embeddings [n, dim] of entities 0 … n−1, `batch` at a time: `embed(ids)` runs one forward pass
 * over the entities `ids` (a run of consecutive indices) and returns their rows.
 */
export function embedInBatches(n: number, dim: number, batch: number, embed: (ids: Int32Array) => Float32Array): Float32Array {
  const out = new Float32Array(n * dim);
  const all = range(n);
  for (let s = 0; s < n; s += batch) out.set(embed(all.subarray(s, s + batch)), s * dim);
  return out;
}
