import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRng } from '../../src/common/rng.js';
import { randomUnitVectors } from '../../src/index/random-unit-vectors.js';
import { ARTIFACT_FILES } from '../../src/model/artifact/artifact-layout.js';
import type { Manifest } from '../../src/model/artifact/manifest.js';

/** Embeddings of one side of a test artifact. */
export interface TestSide {
  readonly ids: readonly string[];
  readonly vectors: Float32Array;
}

/**
 * Writes a model artifact folder in the format of the artifact contract (manifest, ids, float32
 * little-endian embeddings) from vectors the test chose, so index and server tests run on real
 * files whose right answers the test can compute by brute force.
 */
export async function writeTestArtifact(dir: string, version: string, dim: number, items: TestSide, users: TestSide): Promise<void> {
  await mkdir(dir, { recursive: true });
  const manifest: Manifest = {
    version,
    createdAt: new Date(0).toISOString(),
    dim,
    numItems: items.ids.length,
    numUsers: users.ids.length,
    backend: 'test',
    config: {},
    metrics: { 'recall@10': 0.5 },
  };
  const bytes = (v: Float32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  await writeFile(path.join(dir, ARTIFACT_FILES.manifest), JSON.stringify(manifest));
  await writeFile(path.join(dir, ARTIFACT_FILES.itemIds), JSON.stringify(items.ids));
  await writeFile(path.join(dir, ARTIFACT_FILES.itemEmbeddings), bytes(items.vectors));
  await writeFile(path.join(dir, ARTIFACT_FILES.userIds), JSON.stringify(users.ids));
  await writeFile(path.join(dir, ARTIFACT_FILES.userEmbeddings), bytes(users.vectors));
}

/** A random artifact: `numItems` items `i0…`, `numUsers` users `u0…`, unit vectors from `seed`. */
export function randomSides(numItems: number, numUsers: number, dim: number, seed: number): { items: TestSide; users: TestSide } {
  const rng = createRng(seed);
  return {
    items: { ids: Array.from({ length: numItems }, (_, i) => `i${i}`), vectors: randomUnitVectors(numItems, dim, rng) },
    users: { ids: Array.from({ length: numUsers }, (_, i) => `u${i}`), vectors: randomUnitVectors(numUsers, dim, rng) },
  };
}
