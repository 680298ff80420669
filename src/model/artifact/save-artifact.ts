import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BagColumn } from '../../data/bag-column.js';
import type { Snapshot } from '../../data/snapshot.js';
import type { Kernels } from '../../kernels/kernels.js';
import { towerOutputDim } from '../model-config.js';
import type { Tower } from '../tower.js';
import { embedAllItems, embedAllUsers, type TwoTowerModel } from '../two-tower-model.js';
import { ARTIFACT_FILES, HELD_OUT_DIR, stagingDir, versionDir } from './artifact-layout.js';
import type { Manifest } from './manifest.js';
import type { TowersFile } from './towers-file.js';

/** What {@link saveArtifact} records besides the weights. */
export interface ArtifactInfo {
  readonly version: string;
  readonly backend: string;
  readonly config: Record<string, unknown>;
  readonly metrics: Record<string, unknown>;
  /** History the user embeddings are built from (default: the snapshot's training history). */
  readonly userHistory?: BagColumn;
  /** A folder from {@link stageHeldOutModel}: the hold-out run's model, when the served one was refit on everything. */
  readonly heldOutDir?: string;
}

function f32Bytes(values: Float32Array): Buffer {
  // Little-endian on every platform Node runs on in practice; checked to fail loudly otherwise.
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) throw new Error('big-endian platforms are not supported');
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

function towerLayout(tower: Tower, parts: Float32Array[], offset: { value: number }): TowersFile['user'] {
  const push = (values: Float32Array): number => {
    parts.push(values);
    offset.value += values.length;
    return offset.value - values.length;
  };
  return {
    fields: tower.fields.map((f) => ({ name: f.name, kind: f.kind, tokens: [...f.tokens], boundaries: [...f.boundaries] })),
    tables: tower.tables.map((t) => ({ rows: t.rows, offset: push(t.weights) })),
    mlp: tower.mlp.weights.map((w) => ({ shape: w.shape, offset: push(w.dataSync() as Float32Array) })),
  };
}

/** A model and the snapshot it was trained on, with the history its user embeddings are built from. */
export interface TrainedModel {
  readonly model: TwoTowerModel;
  readonly snapshot: Snapshot;
  /** History the user embeddings are built from (default: the snapshot's training history). */
  readonly userHistory?: BagColumn;
}

/** Writes one model's files (artifact-layout.ts) into the existing folder `dir`. */
function writeModelFiles(kernels: Kernels, dir: string, trained: TrainedModel, info: Omit<ArtifactInfo, 'userHistory' | 'heldOutDir'>): void {
  const { model, snapshot } = trained;
  const dim = towerOutputDim(model.config);
  const manifest: Manifest = {
    version: info.version,
    createdAt: new Date().toISOString(),
    dim,
    numItems: snapshot.items.externalIds.length,
    numUsers: snapshot.users.externalIds.length,
    backend: info.backend,
    config: info.config,
    metrics: info.metrics,
  };
  const parts: Float32Array[] = [];
  const offset = { value: 0 };
  const towers: TowersFile = {
    model: { ...model.config, hiddenSizes: [...model.config.hiddenSizes] },
    user: towerLayout(model.user, parts, offset),
    item: towerLayout(model.item, parts, offset),
  };
  const write = (name: string, data: string | Buffer): void => writeFileSync(path.join(dir, name), data);
  write(ARTIFACT_FILES.itemIds, JSON.stringify(snapshot.items.externalIds));
  write(ARTIFACT_FILES.itemEmbeddings, f32Bytes(embedAllItems(kernels, model, snapshot)));
  write(ARTIFACT_FILES.userIds, JSON.stringify(snapshot.users.externalIds));
  write(ARTIFACT_FILES.userEmbeddings, f32Bytes(embedAllUsers(kernels, model, snapshot, trained.userHistory)));
  write(ARTIFACT_FILES.towers, JSON.stringify(towers));
  write(ARTIFACT_FILES.towers32, Buffer.concat(parts.map(f32Bytes)));
  write(ARTIFACT_FILES.manifest, JSON.stringify(manifest, null, 2));
}

/**
 * Writes the model of a refit version's hold-out run (`TrainConfig.refit`) into a staging folder
 * of its own, for {@link saveArtifact} to move into the version folder as its
 * {@link HELD_OUT_DIR}: written before the refit trains, its model and snapshot need not stay in
 * memory beside the refit's. Returns the folder; the caller removes it if the version is never saved.
 */
export function stageHeldOutModel(kernels: Kernels, modelsDir: string, trained: TrainedModel, info: Omit<ArtifactInfo, 'userHistory' | 'heldOutDir'>): string {
  const dir = stagingDir(modelsDir, `${info.version}-${HELD_OUT_DIR}`, process.pid);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    writeModelFiles(kernels, dir, trained, info);
    return dir;
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Writes a model version directory (`<modelsDir>/<version>/`, layout in artifact-layout.ts): the
 * manifest, L2-normalised item and user embeddings (users from their features and full training
 * history) with their external ids, and the towers' weights and vocabularies for serving unknown
 * users; with `info.heldOutDir` (from {@link stageHeldOutModel}), that folder moved in as its
 * {@link HELD_OUT_DIR}. Written into its staging folder (`stagingDir`) and renamed into place, so
 * a reader never sees half a model. The embeddings are computed on `kernels`. Returns the final
 * directory.
 */
export function saveArtifact(kernels: Kernels, modelsDir: string, model: TwoTowerModel, snapshot: Snapshot, info: ArtifactInfo): string {
  const finalDir = versionDir(modelsDir, info.version);
  const tmp = stagingDir(modelsDir, info.version, process.pid);
  mkdirSync(tmp, { recursive: true });
  try {
    const { userHistory, heldOutDir, ...rest } = info;
    writeModelFiles(kernels, tmp, { model, snapshot, userHistory }, rest);
    if (heldOutDir !== undefined) renameSync(heldOutDir, path.join(tmp, HELD_OUT_DIR));
    renameSync(tmp, finalDir);
    return finalDir;
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
