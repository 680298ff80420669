import type { Rng } from '../common/rng.js';
import type { InteractionColumns } from '../store/interaction-log.js';
import { drawBotRows } from './noise/bot-rows.js';
import { mergeInjected } from './noise/merge-injected.js';
import { drawUnseenPairs } from './noise/unseen-pairs.js';

/**
 * Kinds of injected noise: `uniform` (the SGL protocol: uniformly random pairs the user never
 * had), `popularity` (same, but items drawn in proportion to their training popularity, the
 * way accidental clicks on trending items look), `bots` (a few new users with very many
 * uniformly random interactions each).
 */
export const NOISE_MODES = ['uniform', 'popularity', 'bots'] as const;

/** See {@link NOISE_MODES}. */
export type NoiseMode = (typeof NOISE_MODES)[number];

/** How much noise of which kind to inject into a training set. */
export interface NoiseConfig {
  readonly mode: NoiseMode;
  /** Injected rows = round(ratio × n), n = rows of the training set (0.1 = +10 %). */
  readonly ratio: number;
  /** Users in the vocabulary; bot users get the indices numUsers, numUsers + 1, … */
  readonly numUsers: number;
  /** Items in the catalogue; noise may hit items that never occur in training. */
  readonly numItems: number;
  /** Pairs that must never be produced besides the training pairs (e.g. valid and test). */
  readonly forbidden?: { readonly user: Int32Array; readonly item: Int32Array };
  /** Number of bot users sharing the injected rows in `bots` mode (default {@link defaultBotCount}). */
  readonly bots?: number;
}

/** A training set with noise: new columns, which rows are injected, the new user count. */
export interface NoisyInteractions {
  /** Original and injected rows together, sorted by (ts, user, item) like the input contract. */
  readonly interactions: InteractionColumns;
  /** 1 where the row of `interactions` was injected, 0 for an original row. */
  readonly injected: Uint8Array;
  /** `numUsers` plus the bot users. */
  readonly numUsers: number;
}

/**
 * Bots for `count` injected rows: 5, or more when 5 would each need over half the catalogue (a
 * bot's items are distinct, so a small catalogue at a high noise level needs more of them).
 */
export function defaultBotCount(count: number, numItems: number): number {
  return Math.max(5, Math.ceil(count / Math.max(1, Math.floor(numItems / 2))));
}

/**
 * Injects noise into training interactions; pure (the input is not modified) and
 * deterministic under `rng`. Every injected pair is new: never a pair of the training set, of
 * `forbidden`, or drawn twice. In `uniform` and `popularity` mode only users that have
 * training rows receive noise, with a timestamp drawn uniformly in that user's training time
 * range (as in `../shared/benchmarks/README.md`); bots' timestamps are uniform in the whole
 * training range. An injected row's weight is copied from a random training row, so that the
 * weight distribution does not give it away.
 *
 * @example
 *   const noisy = injectNoise(train, { mode: 'uniform', ratio: 0.2, numUsers, numItems,
 *     forbidden: validAndTest }, createRng(2024));
 */
export function injectNoise(train: InteractionColumns, config: NoiseConfig, rng: Rng): NoisyInteractions {
  const n = train.user.length;
  if (n === 0) throw new RangeError('injectNoise: the training set is empty');
  if (!(config.ratio >= 0)) throw new RangeError(`injectNoise: ratio must be >= 0, got ${config.ratio}`);
  const count = Math.round(config.ratio * n);
  const botCount = config.bots ?? defaultBotCount(count, config.numItems);
  const rows =
    config.mode === 'bots'
      ? drawBotRows(train, count, botCount, config.numUsers, config.numItems, rng)
      : drawUnseenPairs(train, count, config, config.mode === 'popularity', rng);
  const weight = new Float32Array(count);
  for (let r = 0; r < count; r++) weight[r] = train.weight[rng.int(n)];
  const merged = mergeInjected(train, { ...rows, weight });
  const bots = config.mode === 'bots' ? Math.min(botCount, count) : 0;
  return { ...merged, numUsers: config.numUsers + bots };
}
