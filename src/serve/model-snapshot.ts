import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { compiledWorkerScript } from '../common/compiled-worker-script.js';
import { buildIndexFromArtifact, HnswIndex, type ArtifactManifest, type ModelArtifactRef, type VectorIndex } from '../index/index.js';
import { towersFromParts, type ItemQuery, type ServingTowers, type UserQuery } from '../model/artifact/load-artifact.js';
import { trimNativeHeap } from '../kernels/native-addon.js';
import { selectBackend } from '../kernels/select-backend.js';
import type { Vocabulary } from '../data/vocabulary.js';
import { VectorsById } from './vectors-by-id.js';
import { ModelItems } from './model-items.js';
import type { Logger } from './logger.js';
import { rowMap, unpackStrings } from './packed-strings.js';
import { SeenByRow } from './seen-by-row.js';
import type { SeenItems } from './seen-items.js';
import { prepareSnapshotParts, type PackedTowerParts, type PrepareRequest, type SnapshotParts } from './snapshot-parts.js';
import type { TowerParts } from '../model/artifact/tower-parts.js';
import type { SnapshotWorkerMessage } from './snapshot-worker.js';
import { TimeSlicer } from './time-slicer.js';
import type { LoadedHistory } from './loaded-history.js';

export type { SeenItems, SeenSet } from './seen-items.js';

/** How a version was loaded: where its files were parsed, and how long the serving thread was held. */
export interface SnapshotLoadStats {
  /** `worker`: files read and parsed on a worker thread; `this-thread`: on the serving thread (no compiled worker, or asked). */
  readonly preparedOn: 'worker' | 'this-thread';
  /** Wall time of the whole load, ms. */
  readonly totalMs: number;
  /** Per step of the preparation (`prepareSnapshotParts`), ms, on whichever thread did it. */
  readonly prepareMs: Readonly<Record<string, number>>;
  /** The longest the serving thread was held in one go while assembling the snapshot, ms. */
  readonly longestBlockMs: number;
  /** All the serving thread's work on assembling it, ms (in slices that yield between them). */
  readonly serveThreadMs: number;
}

/**
 * Everything one model version needs to answer requests, loaded completely before it is
 * published: a request takes one snapshot reference and answers wholly from it, so a swap to a
 * new version never mixes two versions in one answer. Immutable once built.
 */
export interface ModelSnapshot {
  readonly version: string;
  readonly artifactDir: string;
  readonly manifest: ArtifactManifest;
  readonly items: ModelItems;
  readonly users: VectorsById;
  readonly index: VectorIndex;
  readonly seen: SeenItems;
  /** The users' histories as loaded from the store (`LiveServing` follows them from there); undefined without a store. */
  readonly history?: LoadedHistory;
  /**
   * Embeds a user the model has not seen (features and/or recent items) with the trainer's user
   * tower; undefined when the artifact has no towers (`towers.json`), e.g. one written by hand.
   */
  readonly embedUser: ((query: UserQuery) => Float32Array) | undefined;
  /** Embeds many users in one pass of the user tower ([queries.length, dim] row-major); undefined as `embedUser`. */
  readonly embedUsers: ((queries: readonly UserQuery[]) => Float32Array) | undefined;
  /**
   * Embeds items with the trainer's item tower ([queries.length, dim] row-major; an id the model
   * never saw takes the out-of-vocabulary row): how items added since training get their vectors.
   * Undefined when the artifact has no towers.
   */
  readonly embedItems: ((queries: readonly ItemQuery[]) => Float32Array) | undefined;
  readonly loadedAt: Date;
  readonly loadStats: SnapshotLoadStats;
  /**
   * Frees what the garbage collector would free late or never: the towers' TF.js tensors and the
   * HNSW graph's native memory. The registry calls it once the version is no longer served and
   * the requests that took it have answered; the snapshot answers nothing afterwards.
   */
  dispose(): void;
}

/** Options of `loadModelSnapshot`. */
export interface LoadSnapshotOptions {
  /**
   * The database whose interactions give the users' seen items (left out of their
   * recommendations) and whose deleted items are never answered; read with the artifact, off
   * the serving thread. Without it (and without `loadSeen`/`loadDeleted`) nothing is excluded.
   */
  readonly dbPath?: string;
  /** Provides the users' seen items instead, on the serving thread (tests, embedders). */
  readonly loadSeen?: () => Promise<SeenItems> | SeenItems;
  /** External ids of items removed from the catalogue since (never returned), instead of the store's. */
  readonly loadDeleted?: () => readonly string[];
  /**
   * Where to read and parse the files: `worker` (the default when the compiled worker script
   * exists, i.e. after `npm run build`) or `this-thread`.
   */
  readonly prepareOn?: 'worker' | 'this-thread';
  readonly log?: Logger;
}

const WORKER_SCRIPT = compiledWorkerScript(import.meta.url, 'snapshot-worker.js');

// A released version's arrays and id maps belong to the garbage collector, which frees them
// whenever it next runs, after `dispose` has trimmed: the heap is trimmed again then, so that
// what they held goes back to the system too (and without `--expose-gc`).
const trimWhenCollected = new FinalizationRegistry<undefined>(() => void trimNativeHeap());

/** Whether `loadModelSnapshot` can prepare on a worker thread here (the compiled script exists). */
export function snapshotWorkerAvailable(): boolean {
  return existsSync(WORKER_SCRIPT);
}

function prepareInWorker(request: PrepareRequest): Promise<SnapshotParts> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SCRIPT, { workerData: request });
    let settled = false;
    worker.once('message', (m: SnapshotWorkerMessage) => {
      settled = true;
      if (m.ok) resolve(m.parts);
      else reject(new Error(m.message));
    });
    worker.once('error', (err) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the snapshot worker exited with code ${code} before answering`));
    });
  });
}

/** The version's HNSW index: its graph read by hnswlib off this thread, its labels those of the items when they are the same list. */
async function indexOf(parts: SnapshotParts, itemIds: string[], itemRowOf: Map<string, number>, slicer: TimeSlicer, log?: Logger): Promise<VectorIndex> {
  const dir = parts.ref.artifactDir;
  if (parts.index === undefined) {
    log?.({ level: 'warn', msg: 'no index beside the artifact; building it (run `contrarec index` to do this ahead)', version: parts.ref.version });
    slicer.end();
    const built = (await buildIndexFromArtifact(dir)).index;
    slicer.resume();
    return built;
  }
  const labels = parts.index.labels === 'item-ids' ? itemIds : await unpackStrings(parts.index.labels, slicer);
  const labelOf = labels === itemIds ? itemRowOf : await rowMap(labels, slicer);
  slicer.end();
  // hnswlib reads the graph on libuv's thread pool; the labels and their map are the ones built here.
  const index = await HnswIndex.fromLabels(dir, parts.index.meta, labels, labelOf);
  slicer.resume();
  return index;
}

/** A tower's vocabularies, built here in slices. */
async function vocabsOf(packed: PackedTowerParts, slicer: TimeSlicer): Promise<{ fields: TowerParts['fields']; vocabs: Vocabulary[] }> {
  const fields = [];
  const vocabs: Vocabulary[] = [];
  for (const f of packed.fields) {
    const tokens = await unpackStrings(f.tokens, slicer);
    fields.push({ ...f, tokens });
    // Row 0 is the OOV row, which no token maps to (as vocabularyFromTokens builds it).
    vocabs.push({ tokens, index: await rowMap(tokens, slicer, 1) });
  }
  return { fields, vocabs };
}

/** Both towers: their vocabularies built here in slices, their few tensors created on the TF.js backend. */
async function towersOf(packed: NonNullable<SnapshotParts['towers']>, slicer: TimeSlicer): Promise<ServingTowers> {
  const user = await vocabsOf(packed.user, slicer);
  const item = await vocabsOf(packed.item, slicer);
  slicer.end();
  const kernels = await selectBackend('auto');
  slicer.resume();
  return towersFromParts(
    kernels,
    { user: { ...packed.user, fields: user.fields }, item: { ...packed.item, fields: item.fields } },
    { user: user.vocabs, item: item.vocabs },
  );
}

/**
 * Loads a model version from its artifact folder: manifest, item and user embeddings, the HNSW
 * index saved beside them (built and saved first when `contrarec index` has not been run), the
 * user tower, and the store's seen and deleted items. Checks that the pieces belong together
 * (version, dim, item count) and names the file when not. Items deleted from the store are marked
 * deleted in the loaded index.
 *
 * The serving thread is held as little as possible: a worker thread reads and parses the files
 * and the store (`prepareSnapshotParts`) and hands the typed arrays over without copying; hnswlib
 * reads its graph on libuv's thread pool; what must be built here (the id maps, the tower's few
 * tensors) is built in slices of a few ms that yield to pending requests between them.
 * `loadStats` says how long the longest slice was.
 */
export async function loadModelSnapshot(ref: ModelArtifactRef, opts: LoadSnapshotOptions = {}): Promise<ModelSnapshot> {
  const t0 = performance.now();
  const request: PrepareRequest = { ref: { version: ref.version, artifactDir: ref.artifactDir }, dbPath: opts.dbPath };
  const preparedOn = opts.prepareOn ?? (snapshotWorkerAvailable() ? 'worker' : 'this-thread');
  const parts = preparedOn === 'worker' ? await prepareInWorker(request) : await prepareSnapshotParts(request);
  const slicer = new TimeSlicer();
  slicer.resume();

  const itemIds = await unpackStrings(parts.items.ids, slicer);
  const itemRowOf = await rowMap(itemIds, slicer);
  const userIds = await unpackStrings(parts.users.ids, slicer);
  const userRowOf = await rowMap(userIds, slicer);
  const users = new VectorsById({ ids: userIds, vectors: parts.users.vectors, dim: parts.users.dim }, userRowOf);

  const index = await indexOf(parts, itemIds, itemRowOf, slicer, opts.log);
  // Made before live additions can grow the ids it may share with the index: its rows are the model's.
  const items = new ModelItems(itemIds, itemRowOf, index);
  // Items deleted after this version was trained stay in its files but never reach an answer.
  for (const id of opts.loadDeleted?.() ?? parts.deleted) if (index.has(id)) index.markDeleted(id);

  let seen: SeenItems;
  if (opts.loadSeen) {
    slicer.end();
    seen = await opts.loadSeen();
    slicer.resume();
  } else seen = parts.seen ? new SeenByRow(users, items, parts.seen) : new Map<string, ReadonlySet<string>>();

  const towers = parts.towers && (await towersOf(parts.towers, slicer));
  slicer.end();
  const loadStats: SnapshotLoadStats = {
    preparedOn,
    totalMs: Number((performance.now() - t0).toFixed(1)),
    prepareMs: parts.timings,
    longestBlockMs: Number(slicer.longestMs.toFixed(1)),
    serveThreadMs: Number(slicer.busyMs.toFixed(1)),
  };
  let disposed = false;
  const snapshot: ModelSnapshot = Object.freeze({
    version: ref.version,
    artifactDir: ref.artifactDir,
    manifest: parts.manifest,
    items,
    users,
    index,
    seen,
    history: parts.history,
    embedUser: towers?.embedUser,
    embedUsers: towers?.embedUsers,
    embedItems: towers?.embedItems,
    loadedAt: new Date(),
    loadStats,
    dispose() {
      if (disposed) return;
      disposed = true;
      towers?.dispose();
      if (index instanceof HnswIndex) index.release();
      void trimNativeHeap();
    },
  });
  trimWhenCollected.register(snapshot, undefined);
  return snapshot;
}
