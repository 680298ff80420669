import { z } from 'zod';
import { timeOrdersHistories, type TimingSummary } from '../data/time-order.js';

/**
 * How a tower joins its per-field vectors before the MLP: `concat` gives the MLP F·dim inputs,
 * `sum` adds them into one dim-wide vector (the MLP's first layer then costs 1/F as much).
 */
export const FieldCombinerSchema = z.enum(['concat', 'sum']);

/** See {@link FieldCombinerSchema}. */
export type FieldCombiner = z.infer<typeof FieldCombinerSchema>;

/**
 * The towers' shape. Parsed once (CLI flags, artifact manifest) and read as typed fields.
 */
export const ModelConfigSchema = z.object({
  /** Width of every feature embedding table. */
  embeddingDim: z.number().int().positive(),
  /** How the per-field vectors are joined: concatenated, or summed into one embeddingDim vector. */
  fieldCombiner: FieldCombinerSchema,
  /** MLP layer sizes after the joined feature embeddings; the last is the output dim. */
  hiddenSizes: z.array(z.number().int().positive()).min(1),
  /** Give the user tower the mean-pooled bag of items the user interacted with before. */
  useHistory: z.boolean(),
  /** Only the most recent this-many history items are pooled (0 = all). */
  historyMaxLength: z.number().int().nonnegative(),
  /**
   * The history bag pools the item tower's own id table instead of a table of its own: each item
   * learns one vector from being a target and from being in histories (more signal per row on
   * sparse logs, where most items occur once or twice).
   */
  shareHistoryTable: z.boolean(),
  /** Standard deviation of the initial embedding rows. */
  initScale: z.number().positive(),
});

/** See {@link ModelConfigSchema}. */
export type ModelConfig = Readonly<z.infer<typeof ModelConfigSchema>>;

/**
 * Defaults (64-d features, one linear layer to 64, history bag of the last 50 items); see
 * DEFAULT_TRAIN_CONFIG, and {@link defaultModelConfigFor} for the shape a log gets.
 */
export const DEFAULT_MODEL_CONFIG: ModelConfig = {
  embeddingDim: 64,
  fieldCombiner: 'concat',
  hiddenSizes: [64],
  useHistory: true,
  historyMaxLength: 50,
  shareHistoryTable: false,
  initScale: 0.1,
};

/** The towers' layers with a hidden ReLU layer, twice as wide as the output, before the output. */
export function withHiddenLayer(outputDim: number): number[] {
  return [2 * outputDim, outputDim];
}

/** The towers' layers on a log whose times order its histories (see {@link defaultModelConfigFor}). */
export const TIME_ORDERED_HIDDEN_SIZES: readonly number[] = withHiddenLayer(DEFAULT_MODEL_CONFIG.hiddenSizes.at(-1)!);

/**
 * The default model for a log, chosen on the validation splits of the whole suite
 * (`npm run bench:suite`): where time orders the history bag (the items before the target), a
 * hidden ReLU layer before the output (128 → 64), which summarises a sequence's prefix better; on
 * a log without usable order, where the bag is the user's other items as a set, one linear
 * layer, a linear item-to-item model like EASE and ItemKNN, which lead on such logs (the hidden
 * layer lost most on the sparse ones). `--tune` searches both shapes on any log.
 */
export function defaultModelConfigFor(timing: TimingSummary): ModelConfig {
  return timeOrdersHistories(timing) ? { ...DEFAULT_MODEL_CONFIG, hiddenSizes: [...TIME_ORDERED_HIDDEN_SIZES] } : DEFAULT_MODEL_CONFIG;
}
