import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { ARTIFACT_CHUNK_BYTES, storesArtifacts, writeArtifactFiles, type Store } from '../../store/index.js';
import { ARTIFACT_FILES, VERSION_FILES } from './artifact-layout.js';

/** The files `contrarec index` (or a promotion) adds to a version folder after training wrote it. */
export const INDEX_ARTIFACT_FILES: readonly string[] = [ARTIFACT_FILES.hnswGraph, ARTIFACT_FILES.hnswLabels];

/**
 * Copies the complete artifact folder `dir` of `version` into a store that keeps artifacts (a
 * PostgreSQL one), so that a machine with only the database URL can load it; does nothing for
 * SQLite. `files` (default: every file a version folder may hold, `VERSION_FILES`) that are not in the folder are skipped, e.g. the
 * index before it is built. Files are read in chunks, one transaction for the lot.
 */
export async function publishArtifact(store: Store, version: string, dir: string, files: readonly string[] = VERSION_FILES): Promise<void> {
  if (!storesArtifacts(store)) return;
  const present = files.filter((file) => existsSync(path.join(dir, file)));
  await writeArtifactFiles(
    store,
    version,
    present.map((file) => ({ file, chunks: createReadStream(path.join(dir, file), { highWaterMark: ARTIFACT_CHUNK_BYTES }) })),
  );
}
