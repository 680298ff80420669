import { z } from 'zod';
import { UserError } from '../common/user-error.js';
import { specRows, type FeatureSpec } from '../data/feature-spec.js';
import type { Snapshot } from '../data/snapshot.js';

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
  /**
   * MLP layer sizes after the joined feature embeddings; the last is the output dim. Empty: no
   * layers, the summed field vectors are the embedding (needs the `sum` combiner).
   */
  hiddenSizes: z.array(z.number().int().positive()),
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
 * The narrowest defaults (64-d features added, no layers, history bag of the last 50 items); see
 * DEFAULT_TRAIN_CONFIG, and {@link defaultModelConfigFor} for the width a log gets.
 */
export const DEFAULT_MODEL_CONFIG: ModelConfig = {
  embeddingDim: 64,
  fieldCombiner: 'sum',
  hiddenSizes: [],
  useHistory: true,
  historyMaxLength: 50,
  shareHistoryTable: false,
  initScale: 0.1,
};

/** Width of the towers' output embeddings: the last layer's, or the tables' where there are no layers. */
export function towerOutputDim(config: Pick<ModelConfig, 'hiddenSizes' | 'embeddingDim'>): number {
  return config.hiddenSizes.at(-1) ?? config.embeddingDim;
}

/** The towers' layers with a hidden ReLU layer, twice as wide as the output, before the output. */
export function withHiddenLayer(outputDim: number): number[] {
  return [2 * outputDim, outputDim];
}

/** Widths the default towers may get, widest first (see {@link defaultWidthFor}). */
export const DEFAULT_WIDTHS: readonly number[] = [256, 128, 64];

/** Bytes a table entry costs while training: its float32 value and lazy Adam's two moments. */
const TRAINING_BYTES_PER_TABLE_ENTRY = 12;

/** The embedding tables' training memory (values and Adam moments) the default width may take. */
export const DEFAULT_TABLE_BUDGET_BYTES = 256 * 2 ** 20;

/**
 * The default width for towers whose embedding tables hold `tableRows` rows: the widest of
 * {@link DEFAULT_WIDTHS} whose tables, with their optimizer state, fit
 * {@link DEFAULT_TABLE_BUDGET_BYTES}, else the narrowest. Wider towers scored higher on the
 * validation split of every log in the suite (README, "Your logs"), and cost time and memory in
 * proportion: the budget keeps a catalogue of millions of items at the narrowest width.
 */
export function defaultWidthFor(tableRows: number): number {
  return DEFAULT_WIDTHS.find((w) => tableRows * w * TRAINING_BYTES_PER_TABLE_ENTRY <= DEFAULT_TABLE_BUDGET_BYTES) ?? DEFAULT_WIDTHS.at(-1)!;
}

/** What the default model depends on: the vocabularies' sizes. */
export type ModelDefaultsInput = Pick<Snapshot, 'users' | 'items'>;

/**
 * Rows of every embedding table the model trains: each field's, and the history bag's copy of the
 * item ids unless the bag shares the item tower's table.
 */
export function defaultTableRows(snapshot: ModelDefaultsInput, shareHistoryTable = DEFAULT_MODEL_CONFIG.shareHistoryTable): number {
  const rows = (specs: readonly FeatureSpec[]): number => specs.reduce((n, s) => n + specRows(s), 0);
  return rows(snapshot.users.specs) + rows(snapshot.items.specs) + (shareHistoryTable ? 0 : specRows(snapshot.items.specs[0]));
}

/**
 * The default model for a log, chosen on the validation splits of the whole suite
 * (`npm run bench:suite`): {@link DEFAULT_MODEL_CONFIG}'s towers without layers (the fields'
 * vectors added, normalised), at {@link defaultWidthFor} the log's tables. A user is then a mean
 * of their items' vectors plus their own: a linear item-to-item model like EASE and ItemKNN. A
 * linear layer over the concatenated fields is the same family of functions, and a hidden ReLU
 * layer more, but their dense matrices, shared by every row, scored lower on the validation split
 * of every log of the suite, timed ones included, and cost most of an epoch's time (README, "Your
 * logs"). `--tune` searches the three shapes on any log.
 */
export function defaultModelConfigFor(snapshot: ModelDefaultsInput, shareHistoryTable = DEFAULT_MODEL_CONFIG.shareHistoryTable): ModelConfig {
  return { ...DEFAULT_MODEL_CONFIG, embeddingDim: defaultWidthFor(defaultTableRows(snapshot, shareHistoryTable)), shareHistoryTable };
}

/**
 * The model a run trains: {@link defaultModelConfigFor} the log, overridden by what the caller
 * set. Layers set without an embedding width get the width of their output, as the defaults do,
 * and the fields concatenated; no layers at all keep the default width and add the fields.
 */
export function resolveModelConfig(snapshot: ModelDefaultsInput, overrides: Partial<ModelConfig>): ModelConfig {
  const output = overrides.embeddingDim === undefined ? overrides.hiddenSizes?.at(-1) : undefined;
  const width = output === undefined ? {} : { embeddingDim: output };
  // Layers set by the caller take the fields concatenated, no layers added (the defaults' pairings).
  const layers = overrides.hiddenSizes;
  const combiner = layers === undefined ? {} : { fieldCombiner: layers.length === 0 ? ('sum' as const) : ('concat' as const) };
  const config = { ...defaultModelConfigFor(snapshot, overrides.shareHistoryTable), ...width, ...combiner, ...overrides };
  // No layers: the fields' vectors are the embedding, so both towers must add them into one.
  if (config.hiddenSizes.length === 0 && config.fieldCombiner === 'concat')
    throw new UserError(
      'towers without layers (the default, or --hidden none) add their fields into one vector: --field-combiner concat needs layers (--hidden W)',
    );
  return config;
}
