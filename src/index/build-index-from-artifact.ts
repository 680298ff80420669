import { performance } from 'node:perf_hooks';
import { readArtifactEmbeddings, readArtifactManifest } from './artifact-embeddings.js';
import { HnswIndex } from './hnsw-index.js';
import type { HnswParams } from './hnsw-params.js';

/** What `buildIndexFromArtifact` did, for the CLI to print. */
export interface BuiltIndex {
  readonly index: HnswIndex;
  readonly version: string;
  readonly numItems: number;
  readonly dim: number;
  readonly buildMs: number;
}

/**
 * Builds the HNSW index of a model artifact's item embeddings and saves it beside them
 * (`index.hnsw` + `index-labels.json`, each written to a temp path then renamed), which is what
 * the server loads at start-up. Every row must be L2-normalised, as the artifact contract says.
 *
 * @example
 *   const { numItems, buildMs } = await buildIndexFromArtifact('data/models/v3', { ef: 300 });
 */
export async function buildIndexFromArtifact(artifactDir: string, params: Partial<HnswParams> = {}): Promise<BuiltIndex> {
  const manifest = await readArtifactManifest(artifactDir);
  const items = await readArtifactEmbeddings(artifactDir, 'item', manifest);
  const t0 = performance.now();
  const index = HnswIndex.create(items.dim, { initialCapacity: Math.max(1, items.ids.length), ...params });
  index.add(items.ids, items.vectors);
  const buildMs = performance.now() - t0;
  await index.save(artifactDir);
  return { index, version: manifest.version, numItems: items.ids.length, dim: items.dim, buildMs };
}
