import { INDEX_ARTIFACT_FILES, publishArtifact } from '../model/artifact/publish-artifact.js';
import { openStore } from '../store/index.js';

/**
 * Stores the index files just built in `dir` for `version` in the database at `dbPath`, when it
 * keeps artifacts (PostgreSQL), so that replicas download the index instead of building it.
 */
export async function publishIndex(dbPath: string, version: string, dir: string): Promise<void> {
  const store = await openStore(dbPath);
  try {
    await publishArtifact(store, version, dir, INDEX_ARTIFACT_FILES);
  } finally {
    await store.close();
  }
}
