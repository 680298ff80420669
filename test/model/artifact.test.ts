import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { servingHistory } from '../../src/data/serving-history.js';
import { buildSnapshot } from '../../src/data/snapshot.js';
import { loadArtifact, towersFromParts } from '../../src/model/artifact/load-artifact.js';
import { saveArtifact } from '../../src/model/artifact/save-artifact.js';
import { readTowerParts } from '../../src/model/artifact/tower-parts.js';
import { TowersFileSchema } from '../../src/model/artifact/towers-file.js';
import { selectBackend } from '../../src/kernels/select-backend.js';
import { embedAllItems, embedAllUsers } from '../../src/model/two-tower-model.js';
import { trainModel } from '../../src/train/train-model.js';
import { plantedLog } from '../train/planted-log.js';

const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-artifact-'));

const kernels = await selectBackend('cpu');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dot(a: Float32Array, b: Float32Array, bOffset = 0): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[bOffset + k];
  return s;
}

describe('artifact save → load', () => {
  const log = plantedLog(5);
  const snapshot = buildSnapshot(log);
  const { model } = trainModel(
    kernels,
    snapshot,
    { epochs: 1, batchSize: 64, globalNegatives: 16, sslBatchSize: 16 },
    { embeddingDim: 8, hiddenSizes: [16, 8] },
  );
  const history = servingHistory(log, snapshot);
  const out = saveArtifact(kernels, dir, model, snapshot, {
    version: 'v1',
    backend: 'cpu',
    config: { a: 1 },
    metrics: { 'recall@20': 0.5 },
    userHistory: history,
  });

  it('writes the contract files by rename (no temp dir left)', () => {
    expect(out).toBe(path.join(dir, 'v1'));
    expect(readdirSync(dir)).toEqual(['v1']);
    expect(readdirSync(out).sort()).toEqual([
      'item-embeddings.f32',
      'item-ids.json',
      'manifest.json',
      'towers.f32',
      'towers.json',
      'user-embeddings.f32',
      'user-ids.json',
    ]);
  });

  it('gives back the same embeddings and the same scores', () => {
    const a = loadArtifact(kernels, out);
    expect(a.manifest).toMatchObject({ version: 'v1', dim: 8, numItems: 120, numUsers: 120, backend: 'cpu', metrics: { 'recall@20': 0.5 } });
    expect(a.itemIds).toEqual(snapshot.items.externalIds);
    expect(Array.from(a.itemEmbeddings)).toEqual(Array.from(embedAllItems(kernels, model, snapshot)));
    expect(Array.from(a.userEmbeddings)).toEqual(Array.from(embedAllUsers(kernels, model, snapshot, history)));
    // the reloaded towers reproduce the trained model's item embeddings
    expect(Array.from(embedAllItems(kernels, a.model, snapshot))).toEqual(Array.from(a.itemEmbeddings));
    // every stored row is unit length
    for (let i = 0; i < 120; i++) expect(dot(a.itemEmbeddings.subarray(i * 8, i * 8 + 8), a.itemEmbeddings, i * 8)).toBeCloseTo(1, 5);
  });

  it('embedUser from features + recent items equals the stored embedding of a known user', () => {
    const a = loadArtifact(kernels, out);
    const u = 7;
    const recent = Array.from(history.rows.subarray(history.offsets[u], history.offsets[u + 1]), (row) => snapshot.items.specs[0].tokens[row]);
    const e = a.embedUser({ userId: log.users[u].externalId, features: log.users[u].features, recentItems: recent });
    Array.from(e).forEach((v, k) => expect(v).toBeCloseTo(a.userEmbeddings[u * 8 + k], 5));
  });

  it('embeds an unknown user with unseen values through the OOV rows', () => {
    const a = loadArtifact(kernels, out);
    const e = a.embedUser({ userId: 'stranger', features: { segment: 'never-seen' }, recentItems: ['i0', 'no-such-item'] });
    expect(e).toHaveLength(8);
    expect(dot(e, e)).toBeCloseTo(1, 5);
  });

  it('embedUsers and embedItems equal embedUser and embedItem one by one (unknown ids, no history, no features, chunk edges)', () => {
    const a = loadArtifact(kernels, out);
    const tokens = snapshot.items.specs[0].tokens;
    const known = log.users.map((user, u) => ({
      userId: user.externalId,
      features: user.features,
      recentItems: Array.from(history.rows.subarray(history.offsets[u], history.offsets[u + 1]), (row) => tokens[row]),
    }));
    const odd = [
      { userId: 'stranger', features: { segment: 'never-seen' }, recentItems: ['i0', 'no-such-item'] },
      {},
      { userId: 'u3', recentItems: [] },
      { features: { segment: 's2' } },
      // Longer than historyMaxLength: only the most recent ones count.
      { userId: 'u4', recentItems: Array.from({ length: 70 }, (_, k) => `i${k % 120}`) },
    ];
    // Past one forward pass of 4,096 rows, so that a query is embedded in the second chunk too.
    const queries = [...known, ...odd];
    while (queries.length < 4200) queries.push(queries[queries.length % (known.length + odd.length)]);
    const batched = a.embedUsers(queries);
    expect(batched).toHaveLength(queries.length * 8);
    const checked = [...Array.from({ length: known.length + odd.length }, (_, p) => p), 4094, 4095, 4096, 4097, 4199];
    for (const p of checked) {
      const one = a.embedUser(queries[p]);
      one.forEach((v, k) => expect(batched[p * 8 + k]).toBeCloseTo(v, 5));
    }
    const items = [
      ...log.items.map((item) => ({ itemId: item.externalId, features: item.features })),
      { itemId: 'new-item', features: { genre: 'g2' } },
      { itemId: 'newer-item', features: { genre: 'never-seen' } },
      {},
    ];
    const itemRows = a.embedItems(items);
    items.forEach((q, p) => a.embedItem(q).forEach((v, k) => expect(itemRows[p * 8 + k]).toBeCloseTo(v, 5)));
    // A known item through the tower is its stored row.
    for (let k = 0; k < 8; k++) expect(itemRows[5 * 8 + k]).toBeCloseTo(a.itemEmbeddings[5 * 8 + k], 5);
    expect(a.embedUsers([])).toHaveLength(0);
  });

  it('a missing manifest is reported with the file name', () => {
    expect(() => loadArtifact(kernels, path.join(dir, 'missing'))).toThrow(`${path.join(dir, 'missing', 'manifest.json')}: not found`);
  });

  it('readTowerParts reads each table and MLP tensor from its offset in towers.f32, each into its own buffer', async () => {
    const towers = TowersFileSchema.parse(JSON.parse(readFileSync(path.join(out, 'towers.json'), 'utf8')));
    const bytes = readFileSync(path.join(out, 'towers.f32'));
    const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const parts = await readTowerParts(out);
    expect(parts).toBeDefined();
    for (const side of ['user', 'item'] as const) {
      const layout = towers[side];
      const got = parts![side];
      expect(got.tables).toHaveLength(layout.tables.length);
      layout.tables.forEach((t, k) => {
        expect(got.tables[k].rows).toBe(t.rows);
        expect(Array.from(got.tables[k].weights)).toEqual(Array.from(all.subarray(t.offset, t.offset + t.rows * 8)));
        expect(got.tables[k].weights.byteLength).toBe(got.tables[k].weights.buffer.byteLength);
      });
      expect(got.mlp.map((m) => m.shape)).toEqual(layout.mlp.map((m) => m.shape));
      layout.mlp.forEach((m, k) => {
        const size = m.shape.reduce((p, q) => p * q, 1);
        expect(Array.from(got.mlp[k].weights)).toEqual(Array.from(all.subarray(m.offset, m.offset + size)));
      });
    }
  });

  it('readTowerParts for unknown items only keeps the OOV row of the item id field, and embeds unknown items as the whole tower does', async () => {
    const whole = (await readTowerParts(out))!;
    const cut = (await readTowerParts(out, { unknownItemsOnly: true }))!;
    const id = whole.item.fields.findIndex((f) => f.name === '@id');
    expect(id).toBeGreaterThanOrEqual(0);
    expect(whole.item.tables[id].rows).toBeGreaterThan(1);
    expect(cut.item.fields[id].tokens).toEqual(whole.item.fields[id].tokens.slice(0, 1));
    expect(cut.item.tables[id].rows).toBe(1);
    expect(Array.from(cut.item.tables[id].weights)).toEqual(Array.from(whole.item.tables[id].weights.subarray(0, 8)));
    // The user tower and the item tower's other fields are whole.
    expect(cut.user.tables.map((t) => t.rows)).toEqual(whole.user.tables.map((t) => t.rows));
    cut.item.tables.forEach((t, k) => k !== id && expect(t.rows).toBe(whole.item.tables[k].rows));
    const a = towersFromParts(kernels, whole);
    const b = towersFromParts(kernels, cut);
    try {
      const unknown = [{ itemId: 'new-1', features: { genre: 'g1' } }, { itemId: 'new-2', features: { genre: 'g3' } }, { itemId: 'new-3' }];
      const wholeRows = a.embedItems(unknown);
      const cutRows = b.embedItems(unknown);
      wholeRows.forEach((x, k) => expect(cutRows[k]).toBeCloseTo(x, 6));
      // A known item is not what the cut tower is for: its id no longer has its own row.
      const known = [{ itemId: 'i5', features: { genre: 'g0' } }];
      expect(Array.from(b.embedItems(known))).not.toEqual(Array.from(a.embedItems(known)));
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('readTowerParts names a towers.f32 shorter than towers.json says', async () => {
    const cut = mkdtempSync(path.join(tmpdir(), 'contrarec-artifact-cut-'));
    try {
      writeFileSync(path.join(cut, 'towers.json'), readFileSync(path.join(out, 'towers.json')));
      const bytes = readFileSync(path.join(out, 'towers.f32'));
      writeFileSync(path.join(cut, 'towers.f32'), bytes.subarray(0, bytes.byteLength - 4));
      await expect(readTowerParts(cut)).rejects.toThrow(`${path.join(cut, 'towers.f32')}: ends before float`);
    } finally {
      rmSync(cut, { recursive: true, force: true });
    }
  });
});

describe('artifact of a tower with summed fields', () => {
  const log = plantedLog(6);
  const snapshot = buildSnapshot(log);
  const { model } = trainModel(
    kernels,
    snapshot,
    { epochs: 1, batchSize: 64, globalNegatives: 16, sslBatchSize: 16 },
    { embeddingDim: 8, hiddenSizes: [16, 8], fieldCombiner: 'sum' },
  );
  const history = servingHistory(log, snapshot);
  const sumDir = mkdtempSync(path.join(tmpdir(), 'contrarec-artifact-sum-'));
  afterAll(() => rmSync(sumDir, { recursive: true, force: true }));
  const out = saveArtifact(kernels, sumDir, model, snapshot, { version: 'v-sum', backend: 'cpu', config: {}, metrics: {}, userHistory: history });

  it('reloads as a summed tower that reproduces the embeddings and embeds a known user the same', () => {
    expect(model.user.mlp.inputSize).toBe(8);
    const a = loadArtifact(kernels, out);
    expect(a.model.config.fieldCombiner).toBe('sum');
    expect(a.model.user.mlp.inputSize).toBe(8);
    expect(Array.from(embedAllItems(kernels, a.model, snapshot))).toEqual(Array.from(a.itemEmbeddings));
    const u = 3;
    const recent = Array.from(history.rows.subarray(history.offsets[u], history.offsets[u + 1]), (row) => snapshot.items.specs[0].tokens[row]);
    const e = a.embedUser({ userId: log.users[u].externalId, features: log.users[u].features, recentItems: recent });
    Array.from(e).forEach((v, k) => expect(v).toBeCloseTo(a.userEmbeddings[u * 8 + k], 5));
  });

  it('towers without layers save and reload: no MLP weights, the same embeddings, a known user embedded the same', () => {
    const bare = trainModel(kernels, snapshot, { epochs: 1, batchSize: 64, globalNegatives: 16, sslBatchSize: 16 }, { embeddingDim: 8, hiddenSizes: [] }).model;
    expect([bare.config.fieldCombiner, bare.user.mlp.weights.length]).toEqual(['sum', 0]);
    const bareDir = saveArtifact(kernels, sumDir, bare, snapshot, { version: 'v-bare', backend: 'cpu', config: {}, metrics: {}, userHistory: history });
    const a = loadArtifact(kernels, bareDir);
    expect([a.manifest.dim, a.model.config.hiddenSizes, a.model.item.mlp.weights.length]).toEqual([8, [], 0]);
    expect(Array.from(embedAllItems(kernels, a.model, snapshot))).toEqual(Array.from(a.itemEmbeddings));
    const u = 5;
    const recent = Array.from(history.rows.subarray(history.offsets[u], history.offsets[u + 1]), (row) => snapshot.items.specs[0].tokens[row]);
    const e = a.embedUser({ userId: log.users[u].externalId, features: log.users[u].features, recentItems: recent });
    Array.from(e).forEach((v, k) => expect(v).toBeCloseTo(a.userEmbeddings[u * 8 + k], 5));
  });

  it('reads an artifact written before fieldCombiner existed as concatenated', () => {
    const old = path.join(dir, 'v1', 'towers.json');
    const towers = JSON.parse(readFileSync(old, 'utf8')) as { model: Record<string, unknown> };
    delete towers.model.fieldCombiner;
    writeFileSync(old, JSON.stringify(towers));
    const a = loadArtifact(kernels, path.join(dir, 'v1'));
    expect(a.model.config.fieldCombiner).toBe('concat');
    expect(Array.from(embedAllItems(kernels, a.model, buildSnapshot(plantedLog(5))))).toEqual(Array.from(a.itemEmbeddings));
  });

  it('reads the metrics of a manifest written before metric keys carried K (recall20) as recall@20', () => {
    const file = path.join(dir, 'v1', 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...manifest, metrics: { recall20: 0.5, mostPop: { recall20: 0.1, ndcg20: 0.05 } } }));
    expect(loadArtifact(kernels, path.join(dir, 'v1')).manifest.metrics).toEqual({ 'recall@20': 0.5, mostPop: { 'recall@20': 0.1, 'ndcg@20': 0.05 } });
  });
});
