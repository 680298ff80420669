import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { readJsonFileSync } from '../../common/json-file.js';
import { UserError } from '../../common/user-error.js';
import { encodeFeature, type FeatureSpec } from '../../data/feature-spec.js';
import { ID_FEATURE } from '../../data/snapshot.js';
import { lookupRow, OOV_ROW, vocabularyFromTokens, type Vocabulary } from '../../data/vocabulary.js';
import type { Kernels } from '../../kernels/kernels.js';
import type { FeatureValue } from '../../store/interaction-log.js';
import type { FieldCombiner } from '../model-config.js';
import { mlpOutputSize } from '../mlp.js';
import type { BatchBags } from '../batch-bags.js';
import { embedBags, towerInputSize, type Tower } from '../tower.js';
import { EMBED_BATCH, embedInBatches, HISTORY_FEATURE, type TwoTowerModel } from '../two-tower-model.js';
import { ARTIFACT_FILES } from './artifact-layout.js';
import { ManifestSchema, type Manifest } from './manifest.js';
import type { BothTowerParts, TowerParts } from './tower-parts.js';
import { TowersFileSchema, type TowersFile } from './towers-file.js';

/** A user the model may not have seen: id (optional), side features, most recent items last. */
export interface UserQuery {
  readonly userId?: string;
  readonly features?: Readonly<Record<string, FeatureValue>>;
  readonly recentItems?: readonly string[];
}

/** An item by id and features (for items added after training). */
export interface ItemQuery {
  readonly itemId?: string;
  readonly features?: Readonly<Record<string, FeatureValue>>;
}

/** A loaded model version: its embeddings, ids, and towers for embedding what it has not seen. */
export interface LoadedArtifact {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly itemIds: readonly string[];
  /** [numItems, dim] row-major, L2-normalised. */
  readonly itemEmbeddings: Float32Array;
  readonly userIds: readonly string[];
  readonly userEmbeddings: Float32Array;
  readonly model: TwoTowerModel;
  /** Embeds a user from features + recent items with the user tower (L2-normalised, length dim). */
  embedUser(query: UserQuery): Float32Array;
  /**
   * Embeds many users, [queries.length, dim] row-major (row p is `queries[p]`), one tower forward
   * pass per few thousand of them: what to call for a population, never `embedUser` in a loop.
   */
  embedUsers(queries: readonly UserQuery[]): Float32Array;
  /** Embeds an item from its id and features with the item tower. */
  embedItem(query: ItemQuery): Float32Array;
  /** Embeds many items, [queries.length, dim] row-major, in batches as `embedUsers`. */
  embedItems(queries: readonly ItemQuery[]): Float32Array;
}

function readF32(dir: string, name: string, expected?: number): Float32Array {
  const file = path.join(dir, name);
  const bytes = readFileSync(file);
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  if (expected !== undefined && out.length !== expected) throw new UserError(`bad model file ${file}: ${out.length} floats, expected ${expected}`);
  return out;
}

function buildTower(layout: TowersFile['user'], dim: number, combiner: FieldCombiner, weights: Float32Array): Tower {
  const fields: FeatureSpec[] = layout.fields;
  const tables = layout.tables.map((t) => ({ rows: t.rows, dim, weights: weights.slice(t.offset, t.offset + t.rows * dim) }));
  const mlpWeights = layout.mlp.map((m) => {
    const size = m.shape.reduce((p, s) => p * s, 1);
    return tf.tidy(() => tf.variable(tf.tensor(weights.slice(m.offset, m.offset + size), m.shape), false));
  });
  return {
    fields,
    tables,
    combiner,
    mlp: {
      inputSize: towerInputSize(fields.length, dim, combiner),
      sizes: layout.mlp.filter((_, k) => k % 2 === 1).map((m) => m.shape[0]),
      weights: mlpWeights,
    },
  };
}

/** The tower's bags (one per field) of `queries[ids[b]]`, b < ids.length; `value` gives a query's rows of one field. */
function bagsOf<Q>(
  tower: Tower,
  vocabs: readonly Vocabulary[],
  queries: readonly Q[],
  ids: Int32Array,
  value: (spec: FeatureSpec, vocab: Vocabulary, query: Q) => number[],
): BatchBags[] {
  return tower.fields.map((spec, f) => {
    const offsets = new Int32Array(ids.length + 1);
    const rows: number[] = [];
    ids.forEach((id, b) => {
      for (const row of value(spec, vocabs[f], queries[id])) rows.push(row);
      offsets[b + 1] = rows.length;
    });
    return { offsets, rows: Int32Array.from(rows) };
  });
}

/** [queries.length, d] embeddings by `tower`, a forward pass per {@link EMBED_BATCH} queries. */
function embedQueries<Q>(
  kernels: Kernels,
  tower: Tower,
  vocabs: readonly Vocabulary[],
  queries: readonly Q[],
  value: (spec: FeatureSpec, vocab: Vocabulary, query: Q) => number[],
): Float32Array {
  const dim = mlpOutputSize(tower.mlp);
  return embedInBatches(queries.length, dim, EMBED_BATCH, (ids) => embedBags(kernels, tower, bagsOf(tower, vocabs, queries, ids, value)));
}

function embedUsersWith(kernels: Kernels, tower: Tower, vocabs: readonly Vocabulary[], maxHistory: number, queries: readonly UserQuery[]): Float32Array {
  return embedQueries(kernels, tower, vocabs, queries, (spec, vocab, query) => {
    if (spec.name === ID_FEATURE) return [query.userId === undefined ? OOV_ROW : lookupRow(vocab, query.userId)];
    if (spec.name === HISTORY_FEATURE) {
      const recent = query.recentItems ?? [];
      const rows = (maxHistory > 0 ? recent.slice(-maxHistory) : recent).map((id) => lookupRow(vocab, id));
      return rows.length === 0 ? [OOV_ROW] : rows;
    }
    return encodeFeature(spec, vocab, query.features?.[spec.name]);
  });
}

function embedItemsWith(kernels: Kernels, tower: Tower, vocabs: readonly Vocabulary[], queries: readonly ItemQuery[]): Float32Array {
  return embedQueries(kernels, tower, vocabs, queries, (spec, vocab, query) =>
    spec.name === ID_FEATURE
      ? [query.itemId === undefined ? OOV_ROW : lookupRow(vocab, query.itemId)]
      : encodeFeature(spec, vocab, query.features?.[spec.name]),
  );
}

/** Both towers ready to embed users and items the model has not seen, and how to free their tensors. */
export interface ServingTowers {
  embedUser(query: UserQuery): Float32Array;
  /** [queries.length, dim] row-major, one forward pass per few thousand users (see {@link LoadedArtifact.embedUsers}). */
  embedUsers(queries: readonly UserQuery[]): Float32Array;
  /** [queries.length, dim] row-major, in batches (see {@link LoadedArtifact.embedItems}). */
  embedItems(queries: readonly ItemQuery[]): Float32Array;
  /** Disposes the towers' TF.js variables; neither may embed afterwards. */
  dispose(): void;
}

/** A tower from its parts: only the MLP's few tensors are created, on the current TF.js backend; the tables keep the parts' arrays. */
function towerOfParts(parts: TowerParts): Tower {
  const dim = parts.config.embeddingDim;
  const combiner = parts.config.fieldCombiner;
  return {
    fields: parts.fields,
    tables: parts.tables.map((t) => ({ rows: t.rows, dim, weights: t.weights })),
    combiner,
    mlp: {
      inputSize: towerInputSize(parts.fields.length, dim, combiner),
      sizes: parts.mlp.filter((_, k) => k % 2 === 1).map((m) => m.shape[0]),
      // tidy: the variable keeps the data; the tensor it was made from is disposed (else its data stays registered after dispose()).
      weights: parts.mlp.map((m) => tf.tidy(() => tf.variable(tf.tensor(m.weights, [...m.shape]), false))),
    },
  };
}

/**
 * Both towers from their parts (`readTowerParts`, e.g. read on a worker thread), on `kernels`'
 * backend. `vocabs.user[f]` / `vocabs.item[f]` is field f's vocabulary, when the caller has built
 * it already (it is the costly part: a map over every user and item id); otherwise it is built
 * from the specs' tokens.
 */
export function towersFromParts(
  kernels: Kernels,
  parts: BothTowerParts,
  vocabs?: { readonly user: readonly Vocabulary[]; readonly item: readonly Vocabulary[] },
): ServingTowers {
  const user = towerOfParts(parts.user);
  const item = towerOfParts(parts.item);
  const userVocabs = vocabs?.user ?? parts.user.fields.map((f) => vocabularyFromTokens(f.tokens));
  const itemVocabs = vocabs?.item ?? parts.item.fields.map((f) => vocabularyFromTokens(f.tokens));
  const maxHistory = parts.user.config.historyMaxLength;
  let disposed = false;
  return {
    embedUser: (query) => embedUsersWith(kernels, user, userVocabs, maxHistory, [query]),
    embedUsers: (queries) => embedUsersWith(kernels, user, userVocabs, maxHistory, queries),
    embedItems: (queries) => embedItemsWith(kernels, item, itemVocabs, queries),
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const w of [...user.mlp.weights, ...item.mlp.weights]) w.dispose();
    },
  };
}

/**
 * Loads a model version directory written by `saveArtifact`. Known users and items are a lookup
 * in the embedding files; `embedUser` runs the user tower for anyone else (unseen feature values
 * and unknown item ids map to the OOV rows, as in training), on `kernels`, whose backend the
 * towers' tensors are created on.
 *
 * @example
 *   const a = loadArtifact(kernels, dir);
 *   const u = a.embedUser({ features: { age: 31, gender: 'F' }, recentItems: ['50', '181'] });
 */
export function loadArtifact(kernels: Kernels, dir: string): LoadedArtifact {
  const manifest = readJsonFileSync(path.join(dir, ARTIFACT_FILES.manifest), ManifestSchema);
  const towers = readJsonFileSync(path.join(dir, ARTIFACT_FILES.towers), TowersFileSchema);
  const itemIds = readJsonFileSync(path.join(dir, ARTIFACT_FILES.itemIds), z.array(z.string()));
  const userIds = readJsonFileSync(path.join(dir, ARTIFACT_FILES.userIds), z.array(z.string()));
  const d = manifest.dim;
  const weights = readF32(dir, ARTIFACT_FILES.towers32);
  const e = towers.model.embeddingDim;
  const model: TwoTowerModel = {
    config: towers.model,
    user: buildTower(towers.user, e, towers.model.fieldCombiner, weights),
    item: buildTower(towers.item, e, towers.model.fieldCombiner, weights),
  };
  const userVocabs = model.user.fields.map((f) => vocabularyFromTokens(f.tokens));
  const itemVocabs = model.item.fields.map((f) => vocabularyFromTokens(f.tokens));
  const maxHistory = towers.model.historyMaxLength;
  return {
    dir,
    manifest,
    itemIds,
    itemEmbeddings: readF32(dir, ARTIFACT_FILES.itemEmbeddings, itemIds.length * d),
    userIds,
    userEmbeddings: readF32(dir, ARTIFACT_FILES.userEmbeddings, userIds.length * d),
    model,
    embedUser: (query) => embedUsersWith(kernels, model.user, userVocabs, maxHistory, [query]),
    embedUsers: (queries) => embedUsersWith(kernels, model.user, userVocabs, maxHistory, queries),
    embedItem: (query) => embedItemsWith(kernels, model.item, itemVocabs, [query]),
    embedItems: (queries) => embedItemsWith(kernels, model.item, itemVocabs, queries),
  };
}
