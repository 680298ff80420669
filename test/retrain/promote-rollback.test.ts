import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modelsDirFor } from '../../src/common/paths.js';
import { HNSW_LABELS_FILE } from '../../src/index/index.js';
import { applyRetention } from '../../src/retrain/apply-retention.js';
import { previousGoodVersion, promoteVersion, rollbackModel } from '../../src/retrain/promote-version.js';
import { getActiveModel, getModel, insertModel, listModels, openStore, updateModel, type Store } from '../../src/store/index.js';
import { randomSides, writeTestArtifact } from '../index/test-artifact.js';
import { holdWriteLockInOtherProcess } from '../store/other-process-writer.js';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'contrarec-promote-'));
  store = await openStore(path.join(dir, 'c.db'));
});
afterEach(async () => {
  store.close();
  await rm(dir, { recursive: true, force: true });
});

/** Registers a ready version with a real artifact (random unit vectors) but no index yet. */
async function ready(version: string, seed: number): Promise<string> {
  const artifact = path.join(modelsDirFor(store.path), version);
  const { items, users } = randomSides(30, 4, 8, seed);
  await writeTestArtifact(artifact, version, 8, items, users);
  await insertModel(store, { version, status: 'ready' });
  return artifact;
}

describe('promoteVersion and rollbackModel', () => {
  it('promote builds the missing index first; rollback walks back through activations, retiring what it leaves', async () => {
    const a1 = await ready('v1', 1);
    await ready('v2', 2);
    await ready('v3', 3);
    await promoteVersion(store, 'v1');
    expect(existsSync(path.join(a1, HNSW_LABELS_FILE))).toBe(true);
    await promoteVersion(store, 'v2');
    await promoteVersion(store, 'v3');
    expect(await previousGoodVersion(store)).toBe('v2');

    expect(await rollbackModel(store)).toEqual({ from: 'v3', to: 'v2' });
    expect((await getActiveModel(store))?.version).toBe('v2');
    const v3 = await getModel(store, 'v3');
    expect(v3?.status).toBe('retired');
    expect(v3?.reason).toMatch(/^rolled back to v2 at \d{4}-/);
    // A second rollback goes one step further back, not to the retired v3.
    expect(await rollbackModel(store)).toEqual({ from: 'v2', to: 'v1' });
    await expect(rollbackModel(store)).rejects.toThrow('nothing to roll back to: no earlier active version is still ready (see `contrarec models list`)');
  });

  it('rolls back while another process holds the write lock (a server storing POST /v1/interactions)', async () => {
    await ready('v1', 1);
    await ready('v2', 2);
    await promoteVersion(store, 'v1');
    await promoteVersion(store, 'v2');
    const other = await holdWriteLockInOtherProcess(store.path, 300);
    expect(await rollbackModel(store)).toEqual({ from: 'v2', to: 'v1' });
    await other.released;
    expect((await getActiveModel(store))?.version).toBe('v1');
    expect((await getModel(store, 'v2'))?.status).toBe('retired');
  });

  it('refuses to promote a failed model or an unknown version, with the reason', async () => {
    await ready('bad', 1);
    await updateModel(store, 'bad', { status: 'failed', reason: 'gate: recall@20 0.1 < active 0.3 − tolerance 0.01' });
    await expect(promoteVersion(store, 'bad')).rejects.toThrow(
      'model bad is failed (gate: recall@20 0.1 < active 0.3 − tolerance 0.01): only a ready or retired model can be promoted',
    );
    await expect(promoteVersion(store, 'nope')).rejects.toThrow(`no model version "nope" in ${store.path}`);
  });
});

describe('applyRetention', () => {
  it('keeps the newest N artifacts plus the active and the previous good one; retires the rest; clears dead temp folders', async () => {
    for (let v = 1; v <= 6; v++) await ready(`v${v}`, v);
    await promoteVersion(store, 'v1');
    await promoteVersion(store, 'v2'); // v2 active, v1 the rollback target
    const deadTmp = path.join(modelsDirFor(store.path), '.tmp-v7-999999');
    await mkdir(deadTmp);
    const liveTmp = path.join(modelsDirFor(store.path), `.tmp-v8-${process.pid}`);
    await mkdir(liveTmp);

    const removed = await applyRetention(store, 2);
    // newest two: v6, v5; kept anyway: v2 (active), v1 (previous); removed: v4, v3
    expect(removed).toEqual(['v4', 'v3']);
    for (const v of ['v1', 'v2', 'v5', 'v6']) expect(existsSync(path.join(modelsDirFor(store.path), v))).toBe(true);
    for (const v of ['v3', 'v4']) expect(existsSync(path.join(modelsDirFor(store.path), v))).toBe(false);
    const v3 = (await listModels(store)).find((m) => m.version === 'v3')!;
    expect([v3.status, v3.reason, v3.artifactDir]).toEqual(['retired', 'artifact removed by retention (keeps 2)', null]);
    expect(existsSync(deadTmp)).toBe(false);
    expect(existsSync(liveTmp)).toBe(true);
    await expect(promoteVersion(store, 'v3')).rejects.toThrow(
      `model v3: its artifact ${path.join(modelsDirFor(store.path), 'v3')} is gone (removed by retention?), it cannot be promoted`,
    );
  });
});
