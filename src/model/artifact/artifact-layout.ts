import { existsSync } from 'node:fs';
import path from 'node:path';
import { dataDirFor, modelsDirFor } from '../../common/paths.js';

/**
 * The files of a model version folder, the one list every writer and reader asks. The trainer
 * writes all but the index files; `contrarec index` (or the server, when they are missing) writes
 * the HNSW graph and its labels beside them.
 */
export const ARTIFACT_FILES = {
  manifest: 'manifest.json',
  itemIds: 'item-ids.json',
  itemEmbeddings: 'item-embeddings.f32',
  userIds: 'user-ids.json',
  userEmbeddings: 'user-embeddings.f32',
  /** Trainer-owned: tower layouts (feature specs, table and MLP shapes, offsets into towers.f32). */
  towers: 'towers.json',
  towers32: 'towers.f32',
  /** The HNSW graph over the item embeddings (hnswlib's own format). */
  hnswGraph: 'index.hnsw',
  /** The graph's labels and parameters; its presence says the index is built. */
  hnswLabels: 'index-labels.json',
} as const;

/**
 * The subfolder of a version folder that holds, when the served model was refit on every
 * interaction (`TrainConfig.refit`), the model of the run that chose its epochs: trained without
 * the validation hold-out, in the same layout (index files aside). Whatever must score a model on
 * interactions it never saw (the retrain gate, `eval` on the hold-out) reads this one.
 */
export const HELD_OUT_DIR = 'held-out';

/** Every file a version folder may hold, the held-out model's included: what a store that keeps artifacts copies. */
export const VERSION_FILES: readonly string[] = [
  ...Object.values(ARTIFACT_FILES),
  ...Object.values(ARTIFACT_FILES)
    .filter((file) => file !== ARTIFACT_FILES.hnswGraph && file !== ARTIFACT_FILES.hnswLabels)
    .map((file) => `${HELD_OUT_DIR}/${file}`),
];

/**
 * The folder of the weights that never saw the version's validation hold-out: its
 * {@link HELD_OUT_DIR} when the version was refit, else the version folder itself.
 */
export function heldOutDirOf(dir: string): string {
  const heldOut = path.join(dir, HELD_OUT_DIR);
  return existsSync(path.join(heldOut, ARTIFACT_FILES.manifest)) ? heldOut : dir;
}

/** Which side of the model an embeddings file holds. */
export type EmbeddingSide = 'item' | 'user';

/** The ids file and the float32 vectors file of one side, row i of one being id i of the other. */
export function embeddingFilesOf(side: EmbeddingSide): { readonly ids: string; readonly vectors: string } {
  return side === 'item'
    ? { ids: ARTIFACT_FILES.itemIds, vectors: ARTIFACT_FILES.itemEmbeddings }
    : { ids: ARTIFACT_FILES.userIds, vectors: ARTIFACT_FILES.userEmbeddings };
}

/** The folder of model version `version` under a models folder: `<modelsDir>/<version>`. */
export function versionDir(modelsDir: string, version: string): string {
  return path.join(modelsDir, version);
}

/**
 * The folder a writer fills before renaming it to {@link versionDir}: `.tmp-<version>-<pid>`, so a
 * reader never sees half a model and retention can tell a dead writer's leftovers by the pid.
 */
export function stagingDir(modelsDir: string, version: string, pid: number): string {
  return path.join(modelsDir, `.tmp-${version}-${pid}`);
}

/** The writer's pid in a {@link stagingDir} name, or undefined when `name` is not one. */
export function stagingPidOf(name: string): number | undefined {
  const pid = /^\.tmp-.+-(\d+)$/.exec(name)?.[1];
  return pid === undefined ? undefined : Number(pid);
}

/**
 * Where a registered model's artifact lives: its recorded `artifactDir` (resolved against the
 * database's local folder, `dataDirFor`, when relative), else its {@link versionDir} in the models folder beside the
 * database.
 */
export function artifactDirOf(model: { readonly version: string; readonly artifactDir: string | null }, dbPath: string): string {
  if (model.artifactDir) return path.resolve(dataDirFor(dbPath), model.artifactDir);
  return versionDir(modelsDirFor(dbPath), model.version);
}
