import { createRng } from '../common/rng.js';
import { injectNoise, type NoiseMode } from '../data/noise.js';
import { mergeInjected } from '../data/noise/merge-injected.js';
import type { EntityRecord, InteractionColumns, InteractionLog } from '../store/index.js';
import type { ExperimentData } from './experiment-data.js';

/** The log one (noise, seed) cell trains on: (noisy) train + valid, which rows are valid, where the noise came from. */
export interface RunTrainingLog {
  /** data.log's users (plus bot users in `bots` mode) and items; interactions = train(+noise) + valid. */
  readonly log: InteractionLog;
  /** 1 where the row of `log.interactions` is a validation row (the snapshot's explicit split). */
  readonly validation: Uint8Array;
  /** `clean`, `published` (the benchmark's train_noiseR.tsv) or `injected` (injectNoise, seeded). */
  readonly noiseSource: 'clean' | 'published' | 'injected';
}

/** The rows of `columns` where `mask` is 1, in order. */
export function maskedRows(columns: InteractionColumns, mask: Uint8Array): InteractionColumns {
  const keep: number[] = [];
  mask.forEach((m, k) => m === 1 && keep.push(k));
  return {
    user: Int32Array.from(keep, (k) => columns.user[k]),
    item: Int32Array.from(keep, (k) => columns.item[k]),
    ts: Float64Array.from(keep, (k) => columns.ts[k]),
    weight: Float32Array.from(keep, (k) => columns.weight[k]),
  };
}

/**
 * Builds the training log of one experiment cell. Noise goes into the training rows only; valid
 * and test stay clean. At ratio 0 the clean train rows are used; with mode `uniform` and a
 * published copy for that ratio (train_noise10.tsv for 0.1), that file's rows, so the numbers
 * compare with the reference ones; otherwise `injectNoise` with valid and test as forbidden
 * pairs, seeded with `seed`.
 */
export function buildRunTrainingLog(data: ExperimentData, noise: number, mode: NoiseMode, seed: number): RunTrainingLog {
  const all = data.log.interactions;
  const valid = maskedRows(all, data.valid);
  const published = mode === 'uniform' ? data.publishedNoise.get(noise) : undefined;
  let train = maskedRows(all, noise === 0 ? data.train : (published ?? data.train));
  let users: readonly EntityRecord[] = data.log.users;
  if (noise > 0 && published === undefined) {
    const forbidden = maskedRows(
      all,
      Uint8Array.from(data.valid, (v, k) => v | data.test[k]),
    );
    const noisy = injectNoise(train, { mode, ratio: noise, numUsers: users.length, numItems: data.log.items.length, forbidden }, createRng(seed));
    train = noisy.interactions;
    const bots = Array.from({ length: noisy.numUsers - users.length }, (_, b) => ({ externalId: `@bot-${b + 1}`, features: {} }));
    users = [...users, ...bots];
  }
  const merged = mergeInjected(train, valid);
  return {
    log: { ...data.log, users, interactions: merged.interactions },
    validation: merged.injected,
    noiseSource: noiseSourceOf(data, noise, mode),
  };
}

/** Where a cell's training rows come from, without building them (see {@link buildRunTrainingLog}). */
export function noiseSourceOf(data: ExperimentData, noise: number, mode: NoiseMode): RunTrainingLog['noiseSource'] {
  if (noise === 0) return 'clean';
  return mode === 'uniform' && data.publishedNoise.has(noise) ? 'published' : 'injected';
}
