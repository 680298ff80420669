import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readArtifactEmbeddings, readArtifactIds, readArtifactManifest, type ArtifactManifest } from '../index/artifact-embeddings.js';
import { readHnswLabels, type HnswLabelsFile } from '../index/hnsw-labels.js';
import type { ModelArtifactRef } from '../index/resolve-model-artifact.js';
import { ARTIFACT_FILES } from '../model/artifact/artifact-layout.js';
import { readTowerParts, type TowerParts } from '../model/artifact/tower-parts.js';
import { listDeletedItemIds, openStore, readInteractionPairsThrough, type InteractionPairs } from '../store/index.js';
import { loadedHistoryOf, type LoadedHistory } from './loaded-history.js';
import { existsSync } from 'node:fs';
import { packStrings, type PackedStrings } from './packed-strings.js';

/** One side's embeddings with its ids packed. */
export interface PackedEmbeddings {
  readonly ids: PackedStrings;
  readonly vectors: Float32Array;
  readonly dim: number;
}

/**
 * Users' seen items by model rows: user row u interacted with the item rows
 * `itemRows[offsets[u]..offsets[u + 1])`, ascending and distinct. Only items of the model count
 * (no other item can be in an answer) and only its users (no other user has a vector to ask with).
 */
export interface SeenRows {
  readonly offsets: Int32Array;
  readonly itemRows: Int32Array;
}

/**
 * Everything of a model version that can be read and parsed away from the serving thread, as
 * plain data whose large parts are typed arrays (transferred, not copied, when a worker posts
 * them) and packed strings; `assembleSnapshot` turns it into a `ModelSnapshot`.
 */
export interface SnapshotParts {
  readonly ref: ModelArtifactRef;
  readonly manifest: ArtifactManifest;
  /** The items' ids only: their vectors are read from the HNSW index, which holds them (`ModelItems`). */
  readonly items: { readonly ids: PackedStrings };
  readonly users: PackedEmbeddings;
  /**
   * The saved HNSW index's labels file without its labels, which are `labels` packed, or the
   * string `'item-ids'` when they are the item ids in the same order (the usual case: the map is
   * then built once for both); undefined when no index has been saved beside the artifact.
   */
  readonly index: { readonly meta: Omit<HnswLabelsFile, 'labels'>; readonly labels: PackedStrings | 'item-ids' } | undefined;
  /** From the store, when one was given. */
  readonly seen: SeenRows | undefined;
  /** The users' histories for live user vectors, from the same read of the store as `seen`. */
  readonly history: LoadedHistory | undefined;
  /** External ids of the items deleted in the store (never answered). */
  readonly deleted: readonly string[];
  /** Both towers, their fields' tokens packed; undefined when the artifact has no towers. */
  readonly towers: { readonly user: PackedTowerParts; readonly item: PackedTowerParts } | undefined;
  /** Milliseconds each step took on the preparing thread. */
  readonly timings: Readonly<Record<string, number>>;
}

/** A tower's parts whose fields' vocabulary tokens are packed. */
export type PackedTowerParts = Omit<TowerParts, 'fields'> & { readonly fields: readonly PackedFeatureSpec[] };

/** A feature spec whose vocabulary tokens are packed. */
export interface PackedFeatureSpec {
  readonly name: string;
  readonly kind: TowerParts['fields'][number]['kind'];
  readonly tokens: PackedStrings;
  readonly boundaries: readonly number[];
}

/** What `prepareSnapshotParts` needs: the version and, optionally, the store to read seen and deleted items from. */
export interface PrepareRequest {
  readonly ref: ModelArtifactRef;
  readonly dbPath?: string;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Seen items by model rows (see {@link SeenRows}) from the store's interaction pairs. */
export function seenRowsOf(pairs: Omit<InteractionPairs, 'ts'>, userIds: readonly string[], itemIds: readonly string[]): SeenRows {
  const userRowOf = new Map(userIds.map((id, row) => [id, row]));
  const itemRowOf = new Map(itemIds.map((id, row) => [id, row]));
  const userRow = Int32Array.from(pairs.userExternalIds, (id) => userRowOf.get(id) ?? -1);
  const itemRow = Int32Array.from(pairs.itemExternalIds, (id) => itemRowOf.get(id) ?? -1);
  const starts = new Int32Array(userIds.length + 1);
  for (let k = 0; k < pairs.user.length; k++) {
    const u = userRow[pairs.user[k]];
    if (u >= 0 && itemRow[pairs.item[k]] >= 0) starts[u + 1]++;
  }
  for (let u = 0; u < userIds.length; u++) starts[u + 1] += starts[u];
  const filled = starts.slice(0, userIds.length);
  const rows = new Int32Array(starts[userIds.length]);
  for (let k = 0; k < pairs.user.length; k++) {
    const u = userRow[pairs.user[k]];
    const i = itemRow[pairs.item[k]];
    if (u >= 0 && i >= 0) rows[filled[u]++] = i;
  }
  // Sort each user's rows and drop repeats (an item interacted with twice), compacting in place.
  const offsets = new Int32Array(userIds.length + 1);
  let out = 0;
  for (let u = 0; u < userIds.length; u++) {
    const own = rows.subarray(starts[u], starts[u + 1]).sort();
    offsets[u] = out;
    for (let j = 0; j < own.length; j++) if (j === 0 || own[j] !== own[j - 1]) rows[out++] = own[j];
  }
  offsets[userIds.length] = out;
  return { offsets, itemRows: rows.slice(0, out) };
}

/**
 * Reads and checks a model version's files, and the store's seen and deleted items, into
 * {@link SnapshotParts}: everything of a load but hnswlib's graph and the maps that must live on
 * the serving thread. Runs in the snapshot worker (`snapshot-worker.ts`), or on the calling
 * thread when that is not available. Errors name the file, as `loadModelSnapshot`'s always did.
 */
export async function prepareSnapshotParts(request: PrepareRequest): Promise<SnapshotParts> {
  const { ref } = request;
  const dir = ref.artifactDir;
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string): void => {
    const now = performance.now();
    timings[name] = Number((now - t).toFixed(1));
    t = now;
  };
  const manifest = await readArtifactManifest(dir);
  if (manifest.version !== ref.version) {
    throw new Error(`${path.join(dir, ARTIFACT_FILES.manifest)}: version is "${manifest.version}", the registry says "${ref.version}"`);
  }
  const [itemIds, users] = await Promise.all([readArtifactIds(dir, 'item', manifest), readArtifactEmbeddings(dir, 'user', manifest)]);
  lap('embeddings');
  let index: SnapshotParts['index'];
  if (existsSync(path.join(dir, ARTIFACT_FILES.hnswLabels))) {
    const { labels, ...meta } = await readHnswLabels(dir);
    if (meta.dim !== manifest.dim || labels.length - meta.deleted.length !== itemIds.length) {
      throw new Error(
        `${path.join(dir, ARTIFACT_FILES.hnswLabels)}: index has ${labels.length - meta.deleted.length} items of ${meta.dim}-d, the artifact ${itemIds.length} of ${manifest.dim}-d; rebuild it with \`contrarec index\``,
      );
    }
    index = { meta, labels: sameList(labels, itemIds) ? 'item-ids' : packStrings(labels) };
  }
  lap('index labels');
  let seen: SeenRows | undefined;
  let history: LoadedHistory | undefined;
  let deleted: string[] = [];
  if (request.dbPath !== undefined) {
    const store = await openStore(request.dbPath, { readonly: true });
    try {
      const { pairs, through } = await readInteractionPairsThrough(store);
      seen = seenRowsOf(pairs, users.ids, itemIds);
      history = loadedHistoryOf(pairs, through, users.ids, itemIds);
      deleted = await listDeletedItemIds(store);
    } finally {
      store.close();
    }
  }
  lap('seen items');
  const towerParts = await readTowerParts(dir, { unknownItemsOnly: true });
  const packedTower = (t: TowerParts): PackedTowerParts => ({ ...t, fields: t.fields.map((f) => ({ ...f, tokens: packStrings(f.tokens) })) });
  const towers = towerParts && { user: packedTower(towerParts.user), item: packedTower(towerParts.item) };
  lap('towers');
  const packedUsers: PackedEmbeddings = { ids: packStrings(users.ids), vectors: users.vectors, dim: users.dim };
  const result = { ref, manifest, items: { ids: packStrings(itemIds) }, users: packedUsers, index, seen, history, deleted, towers, timings };
  lap('pack');
  return result;
}

/** The buffers of `parts` a worker hands over instead of copying (each owns its ArrayBuffer). */
export function transferablesOf(parts: SnapshotParts): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [parts.users.vectors, parts.items.ids.ends, parts.users.ids.ends];
  if (parts.index && parts.index.labels !== 'item-ids') arrays.push(parts.index.labels.ends);
  if (parts.seen) arrays.push(parts.seen.offsets, parts.seen.itemRows);
  if (parts.history) arrays.push(parts.history.offsets, parts.history.itemRows, parts.history.ts, parts.history.overlay.ts);
  for (const tower of parts.towers ? [parts.towers.user, parts.towers.item] : []) {
    for (const t of tower.tables) arrays.push(t.weights);
    for (const m of tower.mlp) arrays.push(m.weights);
    for (const f of tower.fields) arrays.push(f.tokens.ends);
  }
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  return [...buffers];
}
