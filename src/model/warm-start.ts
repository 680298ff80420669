import * as tf from '@tensorflow/tfjs-core';
import type { FeatureSpec } from '../data/feature-spec.js';
import { specRows } from '../data/feature-spec.js';
import { vocabularyFromTokens } from '../data/vocabulary.js';
import type { Tower } from './tower.js';
import type { TwoTowerModel } from './two-tower-model.js';

/** What {@link warmStartModel} copied: table rows (of all rows) and whether the MLPs matched. */
export interface WarmStartReport {
  readonly copiedRows: number;
  readonly totalRows: number;
  /** Towers whose MLP weights were copied (same fields in the same order, same sizes). */
  readonly copiedMlps: readonly ('user' | 'item')[];
}

/**
 * Row of `from` holding the same value as row `row` of `to`, or -1. Vocabulary fields match by
 * token (row 0, OOV, matches row 0); numeric fields only when both have the same buckets.
 */
function rowMap(to: FeatureSpec, from: FeatureSpec): (row: number) => number {
  if (to.kind === 'numeric') {
    const same = to.boundaries.length === from.boundaries.length && to.boundaries.every((b, k) => b === from.boundaries[k]);
    return same ? (row) => row : (row) => (row === 0 ? 0 : -1);
  }
  const index = vocabularyFromTokens(from.tokens).index;
  return (row) => (row === 0 ? 0 : (index.get(to.tokens[row]) ?? -1));
}

function warmTower(to: Tower, from: Tower): { copied: number; total: number; mlp: boolean } {
  let copied = 0;
  let total = 0;
  to.tables.forEach((table, f) => {
    total += table.rows;
    const spec = to.fields[f];
    const k = from.fields.findIndex((s) => s.name === spec.name && s.kind === spec.kind);
    if (k < 0 || from.tables[k].dim !== table.dim) return;
    const source = from.tables[k];
    const map = rowMap(spec, from.fields[k]);
    for (let r = 0; r < specRows(spec); r++) {
      const s = map(r);
      if (s < 0 || s >= source.rows) continue;
      table.weights.set(source.weights.subarray(s * table.dim, (s + 1) * table.dim), r * table.dim);
      copied++;
    }
  });
  const sameLayout =
    to.fields.length === from.fields.length &&
    to.fields.every((s, f) => s.name === from.fields[f].name && s.kind === from.fields[f].kind) &&
    to.mlp.weights.length === from.mlp.weights.length &&
    to.mlp.weights.every((w, k) => w.shape.join('x') === from.mlp.weights[k].shape.join('x'));
  if (sameLayout) to.mlp.weights.forEach((w, k) => tf.tidy(() => w.assign(tf.clone(from.mlp.weights[k]))));
  return { copied, total, mlp: sameLayout };
}

/**
 * Warm start: copies into a freshly created model the previous model's embedding rows of every
 * user, item and feature value both know (matched by external id / vocabulary token, not by row
 * number, since vocabularies are refitted on each snapshot), and each tower's MLP when its input
 * layout is unchanged. New ids and values keep their fresh initialisation. Mutates `model`.
 *
 * @example
 *   const previous = loadArtifact(activeDir).model;
 *   trainModel(snapshot, config, modelConfig, {}, (m) => warmStartModel(m, previous));
 */
export function warmStartModel(model: TwoTowerModel, previous: TwoTowerModel): WarmStartReport {
  const user = warmTower(model.user, previous.user);
  const item = warmTower(model.item, previous.item);
  return {
    copiedRows: user.copied + item.copied,
    totalRows: user.total + item.total,
    copiedMlps: [...(user.mlp ? (['user'] as const) : []), ...(item.mlp ? (['item'] as const) : [])],
  };
}
