import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { modelsDirFor } from '../common/paths.js';
import { artifactDirOf, stagingPidOf, versionDir } from '../model/artifact/artifact-layout.js';
import { deleteArtifactFiles, getActiveModel, listModels, listStoredArtifactVersions, updateModel, type Store } from '../store/index.js';
import { previousGoodVersion } from './promote-version.js';

/** Whether a process with this pid exists here (signal 0 probes without signalling). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Retention: deletes the artifact folders of all but the newest `keep` models that have one,
 * never the active version's nor the previous good one's (the rollback target). Their rows stay
 * (history, reasons, metrics) with `artifactDir` cleared; a version whose artifact the database
 * holds (PostgreSQL) loses its stored files and this machine's cached copy too; a `ready` one becomes `retired`. Also
 * removes staging folders (`stagingDir`) of writers that no longer run, e.g. a killed
 * retrain. Returns the versions whose artifacts were removed.
 */
export async function applyRetention(store: Store, keep: number): Promise<string[]> {
  const active = (await getActiveModel(store))?.version;
  const previous = await previousGoodVersion(store);
  const stored = await listStoredArtifactVersions(store);
  const withArtifacts = (await listModels(store)).filter((m) => m.status !== 'training' && (stored.has(m.version) || existsSync(artifactDirOf(m, store.path))));
  const removed: string[] = [];
  for (const m of withArtifacts.slice(keep)) {
    if (m.version === active || m.version === previous) continue;
    rmSync(artifactDirOf(m, store.path), { recursive: true, force: true });
    if (stored.has(m.version)) {
      rmSync(versionDir(modelsDirFor(store.path), m.version), { recursive: true, force: true });
      await deleteArtifactFiles(store, m.version);
    }
    await updateModel(store, m.version, {
      artifactDir: null,
      ...(m.status === 'ready' && { status: 'retired', reason: `artifact removed by retention (keeps ${keep})` }),
    });
    removed.push(m.version);
  }
  const modelsDir = modelsDirFor(store.path);
  if (existsSync(modelsDir)) {
    for (const name of readdirSync(modelsDir)) {
      const pid = stagingPidOf(name);
      if (pid !== undefined && !alive(pid)) rmSync(path.join(modelsDir, name), { recursive: true, force: true });
    }
  }
  return removed;
}
