import { afterEach, beforeEach, expect, it } from 'vitest';
import { activateModel, getActiveModel, getModel, insertModel, listModels, openStore, updateModel, type Store } from '../../src/store/index.js';
import { describeEachDialect } from './store-dialects.js';

describeEachDialect('model registry', (freshDb, dialect) => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(await freshDb());
  });
  afterEach(() => store.close());

  it('records a training run through to ready, with config and metrics as JSON', async () => {
    const m = await insertModel(store, { version: 'v1', dataFrom: 10, dataTo: 20, config: { tau: 0.1 }, artifactDir: '/a/v1' });
    expect(m).toMatchObject({ version: 'v1', status: 'training', dataFrom: 10, dataTo: 20, config: { tau: 0.1 }, metrics: {} });
    const done = await updateModel(store, 'v1', { status: 'ready', metrics: { 'recall@20': 0.3 }, finishedAt: 30 });
    expect(done).toMatchObject({ status: 'ready', metrics: { 'recall@20': 0.3 }, finishedAt: 30, artifactDir: '/a/v1' });
    expect(await getModel(store, 'v1')).toEqual(done);
    expect(await updateModel(store, 'v1', {})).toEqual(done);
    await expect(updateModel(store, 'nope', {})).rejects.toThrow('unknown model version nope');
    expect(await getModel(store, 'nope')).toBeUndefined();
    await expect(updateModel(store, 'nope', { status: 'failed' })).rejects.toThrow('unknown model version nope');
    await expect(insertModel(store, { version: 'v1' })).rejects.toThrow(
      dialect === 'sqlite' ? 'UNIQUE constraint failed: models.version' : 'duplicate key value violates unique constraint "models_version_key"',
    );
  });

  it('reads a row an earlier version stored (recall20-style keys) under recall@20-style keys', async () => {
    // What runTraining and the retrain gate wrote before metric keys carried K as data.
    const old = {
      recall20: 0.2863,
      ndcg20: 0.1712,
      alignment: 1.2,
      mostPop: { recall20: 0.1018, ndcg20: 0.06 },
      history: [{ epoch: 1, loss: { total: 6, main: 5.5 }, recall20: 0.25, ndcg20: 0.15, alignment: 1.3, uniformity: -2 }],
      gate: { k: 20, candidate: { recall: 0.27, ndcg: 0.16 }, mostPop: { recall: 0.1, ndcg: 0.05, users: 9 } },
    };
    await insertModel(store, {
      version: 'v1',
      config: { train: { epochs: 3 }, tuning: { budgetSeconds: 60, trials: [{ rung: 0, epochs: 1, recall20: 0.2, seconds: 4 }] } },
    });
    await updateModel(store, 'v1', { status: 'ready', metrics: old });
    const m = await getModel(store, 'v1');
    expect(m?.metrics).toEqual({
      'recall@20': 0.2863,
      'ndcg@20': 0.1712,
      alignment: 1.2,
      mostPop: { 'recall@20': 0.1018, 'ndcg@20': 0.06 },
      history: [{ epoch: 1, loss: { total: 6, main: 5.5 }, 'recall@20': 0.25, 'ndcg@20': 0.15, alignment: 1.3, uniformity: -2 }],
      gate: old.gate,
    });
    expect(m?.config).toEqual({ train: { epochs: 3 }, tuning: { budgetSeconds: 60, trials: [{ rung: 0, epochs: 1, 'recall@20': 0.2, seconds: 4 }] } });
  });

  it('keeps exactly one active model; the previous one becomes ready', async () => {
    for (const v of ['v1', 'v2', 'v3']) await insertModel(store, { version: v, status: 'ready' });
    expect(await getActiveModel(store)).toBeUndefined();
    await activateModel(store, 'v1');
    expect((await getActiveModel(store))?.version).toBe('v1');
    await activateModel(store, 'v2');
    const byVersion = Object.fromEntries((await listModels(store)).map((m) => [m.version, m.status]));
    expect(byVersion).toEqual({ v1: 'ready', v2: 'active', v3: 'ready' });
    expect((await listModels(store)).map((m) => m.version)).toEqual(['v3', 'v2', 'v1']);
  });

  it('refuses to activate a model that is not ready', async () => {
    await insertModel(store, { version: 'v1' });
    await expect(activateModel(store, 'v1')).rejects.toThrow('model v1 is training, only a ready or retired model can be activated');
    await expect(activateModel(store, 'zz')).rejects.toThrow('unknown model version zz');
    expect(await getActiveModel(store)).toBeUndefined();
  });
});
