import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { readJsonFile } from '../common/json-file.js';
import { ARTIFACT_FILES, embeddingFilesOf, type EmbeddingSide } from '../model/artifact/artifact-layout.js';
import { EmbeddingsManifestSchema, type EmbeddingsManifest } from '../model/artifact/manifest.js';

/** A validated artifact manifest as the index and the server read it (see `EmbeddingsManifestSchema`). */
export type ArtifactManifest = EmbeddingsManifest;

/** One side's embeddings from an artifact: external ids in row order and their row-major vectors. */
export interface ArtifactEmbeddings {
  readonly ids: readonly string[];
  /** `ids.length × dim` float32 values, row i for `ids[i]`. */
  readonly vectors: Float32Array;
  readonly dim: number;
}

/** Reads and validates the manifest of the artifact in `artifactDir`. */
export async function readArtifactManifest(artifactDir: string): Promise<ArtifactManifest> {
  const file = path.join(artifactDir, ARTIFACT_FILES.manifest);
  return readJsonFile(file, EmbeddingsManifestSchema);
}

/**
 * Float32 little-endian bytes → Float32Array, whatever this machine's byte order. On a
 * little-endian machine a buffer that owns its whole ArrayBuffer (readFile's, not a pooled slice)
 * is viewed in place, not copied: at a million items a copy would double the vectors while a new
 * version loads beside the one serving (`npm run bench:scale` reports the server's peak RSS), and
 * the result still owns its buffer, which the serving worker transfers (`transferablesOf`).
 */
function decodeF32LE(buf: Buffer): Float32Array {
  if (endianness() === 'LE' && buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength) return new Float32Array(buf.buffer, 0, buf.byteLength / 4);
  const out = new Float32Array(buf.byteLength / 4);
  if (endianness() === 'LE') new Uint8Array(out.buffer).set(buf);
  else {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}

/**
 * Reads one side's ids file of an artifact and checks it against the manifest (count, unique
 * ids), naming the file when not: what the server needs of the items, whose vectors it reads
 * from their HNSW index.
 */
export async function readArtifactIds(artifactDir: string, side: EmbeddingSide, m: ArtifactManifest): Promise<string[]> {
  const idsFile = path.join(artifactDir, embeddingFilesOf(side).ids);
  const ids = await readJsonFile(idsFile, z.array(z.string()));
  const expected = side === 'item' ? m.numItems : m.numUsers;
  if (ids.length !== expected)
    throw new Error(`${idsFile}: ${ids.length} ids, ${ARTIFACT_FILES.manifest} says ${side === 'item' ? 'numItems' : 'numUsers'} = ${expected}`);
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) throw new Error(`${idsFile}: id "${id}" at position ${i} appears twice`);
    seen.add(id);
  });
  return ids;
}

/**
 * Reads one side's ids and embeddings files (`embeddingFilesOf`) of an artifact and checks them against
 * each other and the manifest (count, dim, unique ids), so that a truncated or mismatched file is
 * reported by name instead of serving wrong neighbours.
 */
export async function readArtifactEmbeddings(artifactDir: string, side: EmbeddingSide, manifest?: ArtifactManifest): Promise<ArtifactEmbeddings> {
  const m = manifest ?? (await readArtifactManifest(artifactDir));
  const vecFile = path.join(artifactDir, embeddingFilesOf(side).vectors);
  const ids = await readArtifactIds(artifactDir, side, m);
  if (!existsSync(vecFile)) throw new Error(`${vecFile}: not found`);
  const buf = await readFile(vecFile);
  const want = ids.length * m.dim * 4;
  if (buf.byteLength !== want) throw new Error(`${vecFile}: ${buf.byteLength} bytes, expected ${ids.length} × ${m.dim} × 4 = ${want}`);
  return { ids, vectors: decodeF32LE(buf), dim: m.dim };
}
