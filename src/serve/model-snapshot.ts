import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  buildIndexFromArtifact,
  HnswIndex,
  readArtifactEmbeddings,
  readArtifactManifest,
  type ArtifactManifest,
  type ModelArtifactRef,
  type VectorIndex,
} from '../index/index.js';
import { loadArtifact, type UserQuery } from '../model/artifact/load-artifact.js';
import { ARTIFACT_FILES } from '../model/artifact/artifact-layout.js';
import { selectBackend } from '../kernels/select-backend.js';
import { VectorsById } from './vectors-by-id.js';
import type { Logger } from './logger.js';

/** For each known user, the items they already interacted with (excluded from their recommendations). */
export type SeenItems = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Everything one model version needs to answer requests, loaded completely before it is
 * published: a request takes one snapshot reference and answers wholly from it, so a swap to a
 * new version never mixes two versions in one answer. Immutable once built.
 */
export interface ModelSnapshot {
  readonly version: string;
  readonly artifactDir: string;
  readonly manifest: ArtifactManifest;
  readonly items: VectorsById;
  readonly users: VectorsById;
  readonly index: VectorIndex;
  readonly seen: SeenItems;
  /**
   * Embeds a user the model has not seen (features and/or recent items) with the trainer's user
   * tower; undefined when the artifact has no towers (`towers.json`), e.g. one written by hand.
   */
  readonly embedUser: ((query: UserQuery) => Float32Array) | undefined;
  readonly loadedAt: Date;
}

/** Options of `loadModelSnapshot`. */
export interface LoadSnapshotOptions {
  /** Provides the users' seen items; default: none known (nothing excluded). */
  readonly loadSeen?: () => Promise<SeenItems> | SeenItems;
  /** External ids of items removed from the catalogue since (never returned); default: none. */
  readonly loadDeleted?: () => readonly string[];
  readonly log?: Logger;
}

/**
 * Loads a model version from its artifact folder: manifest, item and user embeddings, and the
 * HNSW index saved beside them (built and saved first when `contrarec index` has not been run).
 * Checks that the pieces belong together (version, dim, item count) and names the file when not.
 * Items deleted from the store (`loadDeleted`) are marked deleted in the loaded index.
 */
export async function loadModelSnapshot(ref: ModelArtifactRef, opts: LoadSnapshotOptions = {}): Promise<ModelSnapshot> {
  const dir = ref.artifactDir;
  const manifest = await readArtifactManifest(dir);
  if (manifest.version !== ref.version) {
    throw new Error(`${path.join(dir, ARTIFACT_FILES.manifest)}: version is "${manifest.version}", the registry says "${ref.version}"`);
  }
  const [items, users] = await Promise.all([readArtifactEmbeddings(dir, 'item', manifest), readArtifactEmbeddings(dir, 'user', manifest)]);
  let index: VectorIndex;
  if (existsSync(path.join(dir, ARTIFACT_FILES.hnswLabels))) index = await HnswIndex.load(dir);
  else {
    opts.log?.({ level: 'warn', msg: 'no index beside the artifact; building it (run `contrarec index` to do this ahead)', version: ref.version });
    index = (await buildIndexFromArtifact(dir)).index;
  }
  if (index.dim !== manifest.dim || index.size !== items.ids.length) {
    throw new Error(
      `${path.join(dir, ARTIFACT_FILES.hnswLabels)}: index has ${index.size} items of ${index.dim}-d, the artifact ${items.ids.length} of ${manifest.dim}-d; rebuild it with \`contrarec index\``,
    );
  }
  // Items deleted after this version was trained stay in its files but never reach an answer.
  for (const id of opts.loadDeleted?.() ?? []) if (index.has(id)) index.markDeleted(id);
  const seen = opts.loadSeen ? await opts.loadSeen() : new Map<string, ReadonlySet<string>>();
  let embedUser: ModelSnapshot['embedUser'];
  if (existsSync(path.join(dir, ARTIFACT_FILES.towers))) {
    embedUser = loadArtifact(await selectBackend('auto'), dir).embedUser;
  }
  return Object.freeze({
    version: ref.version,
    artifactDir: dir,
    manifest,
    items: new VectorsById(items),
    users: new VectorsById(users),
    index,
    seen,
    embedUser,
    loadedAt: new Date(),
  });
}
