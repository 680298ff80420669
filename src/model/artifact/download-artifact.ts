import { createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { readArtifactChunks, type Store, type StoredArtifactFile } from '../../store/index.js';

/** A stored artifact file whose bytes are not what its checksum says: the stored copy is damaged. */
export class ArtifactChecksumError extends Error {
  constructor(
    readonly version: string,
    readonly file: string,
    detail: string,
  ) {
    super(`model ${version}: the stored artifact file ${file} fails its checksum (${detail}); train or index the version again`);
    this.name = 'ArtifactChecksumError';
  }
}

/** Writes one stored file into `dir`, chunk by chunk, and checks its size and sha256. */
async function downloadFile(store: Store, version: string, stored: StoredArtifactFile, dir: string): Promise<void> {
  const hash = createHash('sha256');
  let size = 0;
  // A held-out model's files sit in a subfolder (artifact-layout.ts, HELD_OUT_DIR).
  await mkdir(path.dirname(path.join(dir, stored.file)), { recursive: true });
  const handle = await open(path.join(dir, stored.file), 'w');
  try {
    for await (const chunk of readArtifactChunks(store, version, stored.file)) {
      hash.update(chunk);
      size += chunk.byteLength;
      await handle.write(chunk);
    }
  } finally {
    await handle.close();
  }
  if (size !== stored.size) throw new ArtifactChecksumError(version, stored.file, `${size} bytes stored, ${stored.size} recorded`);
  const sha256 = hash.digest('hex');
  if (sha256 !== stored.sha256) throw new ArtifactChecksumError(version, stored.file, `sha256 ${sha256}, recorded ${stored.sha256}`);
}

/**
 * Writes every stored file of `version` into the (existing, empty) folder `dir`, verifying each;
 * throws {@link ArtifactChecksumError} at the first that does not match. The caller owns `dir`
 * and removes it on failure.
 */
export async function downloadArtifact(store: Store, version: string, files: readonly StoredArtifactFile[], dir: string): Promise<void> {
  for (const stored of files) await downloadFile(store, version, stored, dir);
}
