import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../common/user-error.js';
import { buildIndexFromArtifact } from '../index/index.js';
import { ARTIFACT_FILES } from '../model/artifact/artifact-layout.js';
import { ensureLocalArtifact } from '../model/artifact/ensure-local-artifact.js';
import { INDEX_ARTIFACT_FILES, publishArtifact } from '../model/artifact/publish-artifact.js';
import { activateModel, getActiveModel, getModel, listActivations, updateModel, type ModelRecord, type Store } from '../store/index.js';

/**
 * Makes `version` the active model: checks that its artifact is there, builds its HNSW index
 * first when missing (so a server swapping to it never has to), then activates it in one
 * transaction (the previously active model becomes `ready`). A running server follows within
 * its watch interval.
 */
export async function promoteVersion(store: Store, version: string): Promise<ModelRecord> {
  const model = await getModel(store, version);
  if (model === undefined) throw new UserError(`no model version "${version}" in ${store.path}`);
  if (model.status === 'active') return model;
  if (model.status !== 'ready' && model.status !== 'retired')
    throw new UserError(`model ${version} is ${model.status}${model.reason ? ` (${model.reason})` : ''}: only a ready or retired model can be promoted`);
  const dir = await ensureLocalArtifact(store, model);
  if (!existsSync(path.join(dir, ARTIFACT_FILES.manifest)))
    throw new UserError(`model ${version}: its artifact ${dir} is gone (removed by retention?), it cannot be promoted`);
  if (!existsSync(path.join(dir, ARTIFACT_FILES.hnswLabels))) {
    await buildIndexFromArtifact(dir);
    await publishArtifact(store, version, dir, INDEX_ARTIFACT_FILES);
  }
  return activateModel(store, version);
}

/**
 * The version `rollback` goes back to: the most recently activated version, other than the
 * active one, that is still `ready` (a rolled-back version is `retired`, so rolling back twice
 * goes two steps back), or undefined.
 */
export async function previousGoodVersion(store: Store): Promise<string | undefined> {
  const active = (await getActiveModel(store))?.version;
  for (const a of await listActivations(store)) {
    if (a.version === active) continue;
    if ((await getModel(store, a.version))?.status === 'ready') return a.version;
  }
  return undefined;
}

/**
 * Rollback: activates the previous good version and retires the one that was active, with the
 * reason, so that a later rollback does not come back to it. Returns both versions.
 */
export async function rollbackModel(store: Store): Promise<{ readonly from: string | undefined; readonly to: string }> {
  const from = (await getActiveModel(store))?.version;
  const to = await previousGoodVersion(store);
  if (to === undefined) throw new UserError('nothing to roll back to: no earlier active version is still ready (see `contrarec models list`)');
  await promoteVersion(store, to);
  if (from !== undefined) await updateModel(store, from, { status: 'retired', reason: `rolled back to ${to} at ${new Date().toISOString()}` });
  return { from, to };
}
