/**
 * The trained bench model shared by `bench:serve`, `bench:swap` and `bench:soak`: the two-tower
 * model trained for one epoch on `10 × items` interactions of the bundled synthetic generator
 * (`syntheticLog`), with its HNSW index, cached in the OS temp folder (a few minutes the first time).
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSnapshot } from '../src/data/snapshot.js';
import { servingHistory } from '../src/data/serving-history.js';
import { buildIndexFromArtifact } from '../src/index/index.js';
import { selectBackend } from '../src/kernels/select-backend.js';
import { ARTIFACT_FILES, versionDir } from '../src/model/artifact/artifact-layout.js';
import { saveArtifact } from '../src/model/artifact/save-artifact.js';
import { disposeModel } from '../src/model/two-tower-model.js';
import { trainModel } from '../src/train/train-model.js';
import { syntheticLog } from './synthetic-log.js';

/** The folder of the cached trained artifact for this shape (what `ensureTrainedArtifact` fills). */
export function trainedArtifactDir(numItems: number, numUsers: number, dim = 64): string {
  return versionDir(path.join(tmpdir(), `contrarec-bench-serve-trained-${numItems}x${dim}-${numUsers}`), 'bench');
}

/** Trains and indexes the bench model unless it is cached; returns its folder (version `bench`). */
export async function ensureTrainedArtifact(numItems: number, numUsers: number, dim = 64): Promise<string> {
  const dir = trainedArtifactDir(numItems, numUsers, dim);
  if (existsSync(path.join(dir, ARTIFACT_FILES.hnswLabels))) return dir;
  const kernels = await selectBackend('auto');
  const log = syntheticLog(10 * numItems, numItems, numUsers);
  const snapshot = buildSnapshot(log, { split: { kind: 'none' } });
  const config = { train: { epochs: 1 }, model: { embeddingDim: dim } };
  console.log(`training the bench model: ${log.interactions.user.length} interactions, ${numItems} items, ${numUsers} users, 1 epoch (${kernels.backend})`);
  const t = performance.now();
  const result = trainModel(kernels, snapshot, config.train, config.model);
  console.log(`trained in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  saveArtifact(kernels, path.dirname(dir), result.model, snapshot, {
    version: 'bench',
    backend: kernels.backend,
    config,
    metrics: {},
    userHistory: servingHistory(log, snapshot),
  });
  disposeModel(result.model);
  const t2 = performance.now();
  const built = await buildIndexFromArtifact(dir);
  console.log(`built HNSW over ${built.numItems} items in ${((performance.now() - t2) / 1000).toFixed(1)} s (${dir})`);
  return dir;
}
