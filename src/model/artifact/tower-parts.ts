import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readJsonFile } from '../../common/json-file.js';
import type { FeatureSpec } from '../../data/feature-spec.js';
import { ARTIFACT_FILES } from './artifact-layout.js';
import { TowersFileSchema, type TowersFile } from './towers-file.js';

/**
 * One tower of an artifact as plain data: its configuration, feature specs, and each table's
 * and MLP tensor's own Float32Array (sliced out of `towers.f32`), so that a worker thread can read
 * and cut it and hand the buffers over without copying; `towerFromParts` makes it a tower.
 * Nothing here imports TF.js.
 */
export interface TowerParts {
  readonly config: TowersFile['model'];
  readonly fields: readonly FeatureSpec[];
  readonly tables: readonly { readonly rows: number; readonly weights: Float32Array }[];
  readonly mlp: readonly { readonly shape: readonly number[]; readonly weights: Float32Array }[];
}

/** Both towers of an artifact as {@link TowerParts}. */
export interface BothTowerParts {
  readonly user: TowerParts;
  readonly item: TowerParts;
}

/** Reads `towers.json` and `towers.f32` into both towers' parts; undefined when the artifact has no towers. */
export async function readTowerParts(dir: string): Promise<BothTowerParts | undefined> {
  const jsonFile = path.join(dir, ARTIFACT_FILES.towers);
  if (!existsSync(jsonFile)) return undefined;
  const towers = await readJsonFile(jsonFile, TowersFileSchema);
  const bytes = await readFile(path.join(dir, ARTIFACT_FILES.towers32));
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const dim = towers.model.embeddingDim;
  // slice: each part gets its own buffer, which a worker can transfer and a reader can keep alone.
  const partsOf = (layout: TowersFile['user']): TowerParts => ({
    config: towers.model,
    fields: layout.fields,
    tables: layout.tables.map((t) => ({ rows: t.rows, weights: all.slice(t.offset, t.offset + t.rows * dim) })),
    mlp: layout.mlp.map((m) => ({ shape: m.shape, weights: all.slice(m.offset, m.offset + m.shape.reduce((p, s) => p * s, 1)) })),
  });
  return { user: partsOf(towers.user), item: partsOf(towers.item) };
}
