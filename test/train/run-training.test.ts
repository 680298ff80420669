import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelsDirFor } from '../../src/common/paths.js';
import { DEFAULT_MAX_ERRORS, ingestFiles, prepareFiles } from '../../src/ingest/index.js';
import { evaluateStoredModel } from '../../src/eval/evaluate-stored-model.js';
import { HELD_OUT_DIR, heldOutDirOf } from '../../src/model/artifact/artifact-layout.js';
import { loadArtifact } from '../../src/model/artifact/load-artifact.js';
import { getActiveModel, listModels, openStore } from '../../src/store/index.js';
import { runTraining } from '../../src/train/run-training.js';
import { plantedLog } from './planted-log.js';

const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function plantedStore(): Promise<string> {
  const log = plantedLog(11);
  const file = (name: string, lines: string[]) => {
    writeFileSync(path.join(dir, name), `${lines.join('\n')}\n`);
    return path.join(dir, name);
  };
  const users = file('users.csv', ['user_id,segment', ...log.users.map((u) => `${u.externalId},${(u.features.segment as string | undefined) ?? ''}`)]);
  const items = file('items.csv', ['item_id,genre', ...log.items.map((i) => `${i.externalId},${i.features.genre as string}`)]);
  const { user, item, ts } = log.interactions;
  const inter = file('interactions.csv', [
    'user_id,item_id,timestamp',
    ...Array.from(user, (u, k) => `${log.users[u].externalId},${log.items[item[k]].externalId},${ts[k]}`),
  ]);
  const dbPath = path.join(dir, 'db', 'contrarec.db');
  const store = await openStore(dbPath);
  const opts = { maxErrors: DEFAULT_MAX_ERRORS, multiSep: '|' };
  try {
    await ingestFiles(store, 'users', await prepareFiles('users', [users], {}), opts);
    await ingestFiles(store, 'items', await prepareFiles('items', [items], {}), opts);
    await ingestFiles(store, 'interactions', await prepareFiles('interactions', [inter], {}), opts);
  } finally {
    store.close();
  }
  return dbPath;
}

describe('runTraining (real SQLite store, real ingest)', () => {
  const small = { epochs: 2, batchSize: 64, globalNegatives: 16, sslBatchSize: 16, learningRate: 5e-3, embeddingLearningRate: 2e-2 };
  const model = { embeddingDim: 8, hiddenSizes: [16, 8] };

  it('trains, writes the artifact, registers it; the first model becomes active, later ones ready unless --activate', async () => {
    const dbPath = await plantedStore();
    const lines: string[] = [];
    const first = await runTraining({ dbPath, train: small, model, backend: 'cpu', log: (l) => lines.push(l) });
    expect(lines[0]).toBe('backend: cpu');
    expect(first.record.status).toBe('active');
    expect(first.artifactDir).toBe(path.join(modelsDirFor(dbPath), first.record.version));
    expect(existsSync(path.join(first.artifactDir, 'item-embeddings.f32'))).toBe(true);
    expect(first.result.best['recall@20']!).toBeGreaterThan(0.3); // random ≈ 20/111
    const a = loadArtifact(first.kernels, first.artifactDir);
    expect(a.userIds).toHaveLength(120);
    expect(a.manifest.metrics).toMatchObject({ bestEpoch: first.result.bestEpoch });

    await new Promise((r) => setTimeout(r, 5)); // distinct version stamp
    const second = await runTraining({ dbPath, train: { ...small, positiveWeighting: 'log' }, model, backend: 'cpu', log: () => {} });
    expect(second.record.status).toBe('ready');
    // the version records its training options, which retrain reuses
    expect(first.record.config).toMatchObject({ train: { positiveWeighting: 'none' } });
    expect(second.record.config).toMatchObject({ train: { positiveWeighting: 'log' } });
    await new Promise((r) => setTimeout(r, 5));
    const third = await runTraining({ dbPath, train: small, model, backend: 'cpu', activate: true, log: () => {} });
    expect(third.record.status).toBe('active');
    const store = await openStore(dbPath);
    try {
      expect((await getActiveModel(store))!.version).toBe(third.record.version);
      expect((await listModels(store)).map((m) => m.status)).toEqual(['active', 'ready', 'ready']);
    } finally {
      store.close();
    }
  });

  it("refits on every interaction by default, keeping the hold-out run's model beside it for the gate and eval", async () => {
    const dbPath = await plantedStore();
    const lines: string[] = [];
    const refit = await runTraining({ dbPath, train: small, model, backend: 'cpu', log: (l) => lines.push(l) });
    await new Promise((r) => setTimeout(r, 5));
    const heldOutOnly = await runTraining({ dbPath, train: { ...small, refit: false }, model, backend: 'cpu', log: () => {} });
    const epochs = refit.result.bestEpoch;
    const interactions = plantedLog(11).interactions.user.length;
    expect(lines).toContain(
      `refit: ${epochs} epochs (the hold-out run's best) on all ${interactions} interactions, the hold-out's included (--no-refit serves the hold-out run's model)`,
    );
    expect(refit.record.metrics).toMatchObject({ bestEpoch: epochs, refit: { epochs, interactions } });
    expect(heldOutOnly.record.metrics).not.toHaveProperty('refit');
    expect(heldOutDirOf(heldOutOnly.artifactDir)).toBe(heldOutOnly.artifactDir);
    const twinDir = heldOutDirOf(refit.artifactDir);
    expect(twinDir).toBe(path.join(refit.artifactDir, HELD_OUT_DIR));
    // The same seed and settings: the hold-out run is the --no-refit model, byte for byte; the served one is not.
    const vectors = (d: string) => readFileSync(path.join(d, 'item-embeddings.f32'));
    expect(vectors(twinDir).equals(vectors(heldOutOnly.artifactDir))).toBe(true);
    expect(vectors(refit.artifactDir).equals(vectors(heldOutOnly.artifactDir))).toBe(false);
    expect(loadArtifact(refit.kernels, twinDir).manifest.version).toBe(refit.record.version);
    // eval on the hold-out scores the weights that never saw it: the same figures as the --no-refit model's.
    const valid = (version: string) => evaluateStoredModel({ dbPath, version, split: 'valid', ks: [20] });
    const [a, b] = await Promise.all([valid(refit.record.version), valid(heldOutOnly.record.version)]);
    expect(a.atK[0].recall).toBe(b.atK[0].recall);
    expect(readdirSync(modelsDirFor(dbPath)).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  });

  it('records a failed run with its reason', async () => {
    const dbPath = await plantedStore();
    await expect(runTraining({ dbPath, train: { ...small, temperature: 1e-40 }, model, backend: 'cpu', log: () => {} })).rejects.toThrow(/^training diverged/);
    const store = await openStore(dbPath);
    try {
      const [m] = await listModels(store);
      expect(m.status).toBe('failed');
      expect(m.reason).toBe('training diverged: the loss is NaN at epoch 1, step 1; lower --learning-rate or raise --temperature');
    } finally {
      store.close();
    }
  });
});
