import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { buildSnapshot } from '../../src/data/snapshot.js';
import { selectBackend } from '../../src/kernels/select-backend.js';
import { DEFAULT_MODEL_CONFIG } from '../../src/model/model-config.js';
import { createTwoTowerModel, HISTORY_FEATURE } from '../../src/model/two-tower-model.js';
import { warmStartModel } from '../../src/model/warm-start.js';
import { plantedLog } from '../train/planted-log.js';

await selectBackend('cpu');

const CONFIG = { ...DEFAULT_MODEL_CONFIG, embeddingDim: 4, hiddenSizes: [8, 4] };
const row = (w: Float32Array, r: number, d = 4): number[] => Array.from(w.subarray(r * d, (r + 1) * d));

describe('warmStartModel', () => {
  it('copies rows by id/token even when row numbers moved, leaves new ids fresh, copies matching MLPs', () => {
    // Old model: 60 users; new model: 90 users over a log with more interactions, so ids and
    // genre tokens get new row numbers (vocabularies follow first-seen order of training data).
    const oldSnap = buildSnapshot(plantedLog(1, 60));
    const newSnap = buildSnapshot(plantedLog(5, 90));
    const old = createTwoTowerModel(oldSnap, CONFIG, createRng(1));
    const fresh = createTwoTowerModel(newSnap, CONFIG, createRng(2));
    const before = fresh.user.tables[0].weights.slice();
    const report = warmStartModel(fresh, old);

    const oldUserIds = old.user.fields[0].tokens;
    const newUserIds = fresh.user.fields[0].tokens;
    for (const id of ['u0', 'u59']) {
      expect(row(fresh.user.tables[0].weights, newUserIds.indexOf(id))).toEqual(row(old.user.tables[0].weights, oldUserIds.indexOf(id)));
    }
    // u75 did not exist before: its fresh row is untouched.
    expect(row(fresh.user.tables[0].weights, newUserIds.indexOf('u75'))).toEqual(row(before, newUserIds.indexOf('u75')));
    // OOV rows correspond.
    expect(row(fresh.item.tables[0].weights, 0)).toEqual(row(old.item.tables[0].weights, 0));
    // Item genre tokens and the history bag (item-id tokens) match by token.
    const g = fresh.item.fields[1];
    const og = old.item.fields[1];
    expect(row(fresh.item.tables[1].weights, g.tokens.indexOf('g3'))).toEqual(row(old.item.tables[1].weights, og.tokens.indexOf('g3')));
    const h = fresh.user.fields.findIndex((f) => f.name === HISTORY_FEATURE);
    expect(row(fresh.user.tables[h].weights, fresh.user.fields[h].tokens.indexOf('i7'))).toEqual(
      row(old.user.tables[h].weights, old.user.fields[h].tokens.indexOf('i7')),
    );
    expect(report.copiedMlps).toEqual(['user', 'item']);
    expect(Array.from(fresh.item.mlp.weights[0].dataSync())).toEqual(Array.from(old.item.mlp.weights[0].dataSync()));
    // Naive count of rows whose token the old model lacks (30 new users, plus items and tokens
    // absent from the old training data): exactly those stay fresh.
    let missing = 0;
    for (const side of ['user', 'item'] as const) {
      fresh[side].fields.forEach((f, k) => f.tokens.forEach((t, r) => (missing += r > 0 && !old[side].fields[k].tokens.includes(t) ? 1 : 0)));
    }
    expect(missing).toBeGreaterThanOrEqual(30);
    expect(report.totalRows - report.copiedRows).toBe(missing);
  });

  it('keeps the fresh MLP when the input layout changed (a feature field was added)', () => {
    const snap = buildSnapshot(plantedLog(1, 60));
    const old = createTwoTowerModel(snap, { ...CONFIG, useHistory: false }, createRng(1));
    const fresh = createTwoTowerModel(snap, CONFIG, createRng(2));
    const mlpBefore = Array.from(fresh.user.mlp.weights[0].dataSync());
    const report = warmStartModel(fresh, old);
    expect(report.copiedMlps).toEqual(['item']);
    expect(Array.from(fresh.user.mlp.weights[0].dataSync())).toEqual(mlpBefore);
    expect(row(fresh.user.tables[0].weights, 5)).toEqual(row(old.user.tables[0].weights, 5));
  });
});
