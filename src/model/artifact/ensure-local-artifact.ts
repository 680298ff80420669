import { existsSync, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { modelsDirFor } from '../../common/paths.js';
import { listArtifactFiles, storesArtifacts, type Store, type StoredArtifactFile } from '../../store/index.js';
import { artifactDirOf, stagingDir, versionDir } from './artifact-layout.js';
import { downloadArtifact } from './download-artifact.js';

/** Whether `dir` holds every stored file at its stored size (checksums are verified on download). */
function holdsAll(dir: string, files: readonly StoredArtifactFile[]): boolean {
  return files.every((f) => {
    const file = path.join(dir, f.file);
    return existsSync(file) && statSync(file).size === f.size;
  });
}

/** Moves the verified `staged` folder to `dir`, replacing an incomplete one there. */
async function swapIn(staged: string, dir: string, scratch: string): Promise<void> {
  if (existsSync(dir)) await rename(dir, scratch);
  try {
    await rename(staged, dir);
  } catch (err) {
    // Another process on this machine put a folder there first; the caller checks it.
    if (!existsSync(dir)) throw err;
  }
  await rm(scratch, { recursive: true, force: true });
}

/**
 * The local folder of a model version's artifact, downloaded first when needed. A SQLite store
 * (or a version stored before artifacts went into the database) has only its local folder,
 * returned as before. For a store that keeps artifacts, the folder is `<cacheDir>/<version>`:
 * when it is missing or incomplete, the stored files are downloaded into a staging folder beside
 * it, every sha256 verified, and renamed into place, so a reader never sees half a version and a
 * checksum mismatch (an `ArtifactChecksumError` naming the version and file) leaves nothing behind.
 */
export async function ensureLocalArtifact(
  store: Store,
  model: { readonly version: string; readonly artifactDir: string | null },
  cacheDir: string = modelsDirFor(store.path),
): Promise<string> {
  const files = storesArtifacts(store) ? await listArtifactFiles(store, model.version) : [];
  if (files.length === 0) return artifactDirOf(model, store.path);
  const dir = versionDir(cacheDir, model.version);
  if (holdsAll(dir, files)) return dir;
  const staged = stagingDir(cacheDir, model.version, process.pid);
  await rm(staged, { recursive: true, force: true });
  await mkdir(staged, { recursive: true });
  try {
    await downloadArtifact(store, model.version, files, staged);
    await swapIn(staged, dir, stagingDir(cacheDir, `${model.version}-old`, process.pid));
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
  if (!holdsAll(dir, files)) throw new Error(`model ${model.version}: ${dir} is incomplete after its download`);
  return dir;
}
