/** One stored file of a model version's artifact (migration 0003): its byte size and hex sha256. */
export interface ModelArtifactFileTable {
  version: string;
  file: string;
  size: number;
  sha256: string;
}

/** One chunk of a stored artifact file; a file's bytes are its chunks in `seq` order from 0. */
export interface ModelArtifactChunkTable {
  version: string;
  file: string;
  seq: number;
  bytes: Uint8Array;
}
