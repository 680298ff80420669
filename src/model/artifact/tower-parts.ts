import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { readJsonFile } from '../../common/json-file.js';
import type { FeatureSpec } from '../../data/feature-spec.js';
import { ID_FEATURE } from '../../data/snapshot.js';
import { OOV_ROW } from '../../data/vocabulary.js';
import { ARTIFACT_FILES } from './artifact-layout.js';
import { TowersFileSchema, type TowersFile } from './towers-file.js';

/**
 * One tower of an artifact as plain data: its configuration, feature specs, and each table's
 * and MLP tensor's own Float32Array (read from its place in `towers.f32`), so that a worker thread can read
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

/** Options of {@link readTowerParts}. */
export interface ReadTowerPartsOptions {
  /**
   * The item tower will embed only items the model does not know (the server's use: a known item
   * is served its stored vector), and every such id takes the OOV row: so its id field keeps only
   * that row's token and its table only that row. Its other fields, and the user tower, are whole.
   */
  readonly unknownItemsOnly?: boolean;
}

/** The item tower's layout with its id field cut to the OOV row (see {@link ReadTowerPartsOptions.unknownItemsOnly}). */
function withOovItemIds(layout: TowersFile['item']): TowersFile['item'] {
  const id = layout.fields.findIndex((f) => f.name === ID_FEATURE);
  if (id < 0) return layout;
  return {
    ...layout,
    fields: layout.fields.map((f, k) => (k === id ? { ...f, tokens: f.tokens.slice(0, OOV_ROW + 1) } : f)),
    tables: layout.tables.map((t, k) => (k === id ? { ...t, rows: OOV_ROW + 1 } : t)),
  };
}

/**
 * Reads `towers.json` and `towers.f32` into both towers' parts; undefined when the artifact has no
 * towers. Each table and MLP tensor is read straight into its own buffer, never the whole file at
 * once: the file holds every table of both towers, and the server reads a new version while the
 * old one still serves (`npm run bench:scale` reports the server's peak RSS).
 * A file shorter than the layout says is an error naming it.
 */
export async function readTowerParts(dir: string, opts: ReadTowerPartsOptions = {}): Promise<BothTowerParts | undefined> {
  const jsonFile = path.join(dir, ARTIFACT_FILES.towers);
  if (!existsSync(jsonFile)) return undefined;
  const towers = await readJsonFile(jsonFile, TowersFileSchema);
  const file = path.join(dir, ARTIFACT_FILES.towers32);
  const elementsOf = (shape: readonly number[]): number => shape.reduce((p, n) => p * n, 1);
  const handle = await open(file, 'r');
  try {
    const dim = towers.model.embeddingDim;
    const readFloats = async (offset: number, length: number): Promise<Float32Array> => {
      const out = new Float32Array(length);
      const bytes = new Uint8Array(out.buffer);
      // One read returns at most about 2 GiB, so a larger table takes several.
      for (let done = 0; done < bytes.length;) {
        const { bytesRead } = await handle.read(bytes, done, bytes.length - done, offset * 4 + done);
        if (bytesRead === 0) throw new Error(`${file}: ends before float ${offset + length} that ${ARTIFACT_FILES.towers} places in it`);
        done += bytesRead;
      }
      return out;
    };
    const partsOf = async (layout: TowersFile['user']): Promise<TowerParts> => ({
      config: towers.model,
      fields: layout.fields,
      tables: await Promise.all(layout.tables.map(async (t) => ({ rows: t.rows, weights: await readFloats(t.offset, t.rows * dim) }))),
      mlp: await Promise.all(layout.mlp.map(async (m) => ({ shape: m.shape, weights: await readFloats(m.offset, elementsOf(m.shape)) }))),
    });
    return { user: await partsOf(towers.user), item: await partsOf(opts.unknownItemsOnly ? withOovItemIds(towers.item) : towers.item) };
  } finally {
    await handle.close();
  }
}
