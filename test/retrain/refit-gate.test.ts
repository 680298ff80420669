import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/data/snapshot.js';
import { ingestInteractionRows } from '../../src/ingest/index.js';
import { selectBackend } from '../../src/kernels/select-backend.js';
import { heldOutDirOf } from '../../src/model/artifact/artifact-layout.js';
import { loadArtifact } from '../../src/model/artifact/load-artifact.js';
import { DEFAULT_RETRAIN_CONFIG } from '../../src/retrain/retrain-config.js';
import { runRetrain } from '../../src/retrain/run-retrain.js';
import { gateSample, scoreOnHoldout } from '../../src/retrain/score-on-holdout.js';
import { openStore, readInteractionLog } from '../../src/store/index.js';
import { runTraining } from '../../src/train/run-training.js';
import { plantedLog } from '../train/planted-log.js';

const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-refit-gate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the retrain gate of refit versions (real store, real training)', () => {
  it('scores the hold-out runs, never the refit weights that trained on the hold-out', async () => {
    const log = plantedLog(5);
    const { user, item, ts } = log.interactions;
    const rows = Array.from(user, (u, k) => ({ user: log.users[u].externalId, item: log.items[item[k]].externalId, ts: ts[k] }));
    const dbPath = path.join(dir, 'planted.db');
    const store = await openStore(dbPath);
    try {
      await ingestInteractionRows(store, rows, { source: 'test' });
    } finally {
      store.close();
    }
    const train = { epochs: 3, batchSize: 64, globalNegatives: 16, sslBatchSize: 16, learningRate: 5e-3, embeddingLearningRate: 2e-2 };
    const model = { embeddingDim: 8, hiddenSizes: [8] };
    const first = await runTraining({ dbPath, train, model, backend: 'cpu', log: () => {} });
    await new Promise((r) => setTimeout(r, 5));
    const outcome = await runRetrain({ dbPath, config: { dryRun: true }, train, model, backend: 'cpu', log: () => {} });
    expect(outcome.status).toBe('ready');

    // The gate's figures, recomputed on the same sample from each version's two models.
    const kernels = await selectBackend('cpu');
    const reader = await openStore(dbPath, { readonly: true });
    const interactionLog = await readInteractionLog(reader);
    reader.close();
    const sample = gateSample(buildSnapshot(interactionLog), DEFAULT_RETRAIN_CONFIG.gateSampleUsers);
    const recall = (artifactDir: string) => scoreOnHoldout(kernels, loadArtifact(kernels, artifactDir), interactionLog, sample, 20).score.recall;
    const activeDir = first.artifactDir;
    const candidateDir = path.join(path.dirname(activeDir), outcome.version!);
    expect(heldOutDirOf(activeDir)).not.toBe(activeDir);
    expect(outcome.active!.recall).toBe(recall(heldOutDirOf(activeDir)));
    expect(outcome.candidate!.recall).toBe(recall(heldOutDirOf(candidateDir)));
    // What the gate would have seen otherwise: weights that trained on the very interactions it holds out.
    expect(recall(activeDir)).toBeGreaterThan(outcome.active!.recall);
  }, 120_000);
});
