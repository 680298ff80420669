import { z } from 'zod';
import { HistoryModeSchema } from '../data/history-mode.js';

/**
 * Everything the training loop is told (model shape aside). Parsed once at the boundary (CLI
 * flags or a caller's object) and read as typed, readonly fields.
 */
export const TrainConfigSchema = z.object({
  /** Main loss: sampled softmax (contrastive) or pointwise BCE (baseline). */
  loss: z.enum(['infonce', 'bce']),
  /** τ of the main loss (with `adaptiveTemperature`, of the first epoch only). */
  temperature: z.number().positive(),
  /**
   * Set τ afresh before every epoch after the first from the model's own scores over the training
   * log (Adap-τ's global rule, adaptive-temperature.ts) instead of keeping `temperature`; costs one
   * more pass embedding every user and item per epoch.
   */
  adaptiveTemperature: z.boolean(),
  /** Subtract log q of each candidate (in-batch: training frequency; global: sampler probability). */
  logQ: z.boolean(),
  /** Mask a row's positive item appearing as another candidate. */
  maskAccidentalHits: z.boolean(),
  /** G: negatives sampled from the whole catalogue per batch (shared by its rows). */
  globalNegatives: z.number().int().nonnegative(),
  /** Sampler of global negatives: uniform, or popularity^β. */
  negativeSampler: z.enum(['uniform', 'popularity']),
  samplerBeta: z.number().nonnegative(),
  /** α of the item-view SSL loss (0 = off). */
  itemSslWeight: z.number().nonnegative(),
  /** α of the user-view SSL loss (0 = off). */
  userSslWeight: z.number().nonnegative(),
  /** τ of the SSL loss. */
  sslTemperature: z.number().positive(),
  /** Entities per SSL batch (items drawn uniformly; users = the first ones of the batch). */
  sslBatchSize: z.number().int().positive(),
  /** p: each feature of a view is dropped with this probability. */
  featureDropoutRate: z.number().min(0).max(1),
  /** Which of the user's items a training example's history bag holds (see history-mode.ts). */
  historyMode: HistoryModeSchema,
  /** Each history item of a user view is dropped with this probability. */
  historyDropoutRate: z.number().min(0).max(1),
  /** Use correlated feature masking (seed field + its most correlated fields) for item views. */
  correlatedMasking: z.boolean(),
  /** Truncated-loss denoising: max dropped fraction of positives (0 = off), reached after rampSteps. */
  truncationMaxRate: z.number().min(0).max(1),
  truncationRampSteps: z.number().int().nonnegative(),
  /**
   * Robust InfoNCE (RINCE) exponent q of the main loss: 0 = plain InfoNCE, (0, 1] = RINCE on the
   * same corrected, masked logits (InfoNCE only; see robust-info-nce.ts).
   */
  rinceQ: z.number().min(0).max(1),
  /**
   * RINCE's λ, the weight of the partition-function term. Far below the paper's 0.01–0.025: it has
   * to sit near a positive's softmax probability, which over a catalogue is small (robust-info-nce.ts).
   */
  rinceLambda: z.number().positive(),
  /**
   * Read `rinceLambda` as a share of the batch's typical positive probability (its geometric mean)
   * rather than an absolute level, which follows the catalogue's size (robust-info-nce.ts).
   */
  rinceRelative: z.boolean(),
  /**
   * How a user view thins the history bag, at `historyDropoutRate`: `bag-rows` drops rows of the
   * bag already cut to its window; `edges` drops the user's interactions before the bag is
   * formed (SGL edge dropout, edge-dropout.ts).
   */
  historyViewDropout: z.enum(['bag-rows', 'edges']),
  /**
   * Each history item of a user view adds, with this probability, a stray item drawn from the
   * log's interactions (popularity-distributed) to the view's bag, after the dropout (0 = off;
   * bag-row-insertion.ts).
   */
  historyInsertRate: z.number().min(0).max(1),
  /**
   * k of the positive re-weighting by view agreement (0 = off; agreement-weights.ts). On, every
   * row of the batch gets two user views, which the user SSL term then also uses.
   */
  agreementSharpness: z.number().nonnegative(),
  /**
   * β of the reweighted loss (R-CE, reweighted-loss.ts): each row of the main loss weighted by its
   * positive's softmax probability^β, mean 1 over the batch (0 = off; plain InfoNCE only).
   */
  reweightBeta: z.number().nonnegative(),
  /**
   * How each positive's stored strength (`--weight-col`, else the rating) weighs its row of the
   * main loss: `none` (every interaction one positive) or `log` (strength-weights.ts). `none` by
   * default: on the suite's rated logs `log` did not raise validation Recall@20 (README, Your logs).
   */
  positiveWeighting: z.enum(['none', 'log']),
  epochs: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  /** Adam learning rate of the MLP weights. */
  learningRate: z.number().positive(),
  /** Learning rate of the sparse embedding optimizer. */
  embeddingLearningRate: z.number().positive(),
  sparseOptimizer: z.enum(['adam', 'adagrad']),
  seed: z.number().int(),
  /** Gradient workers: 1 = this thread; n > 1 = data-parallel worker threads (see bench/train.ts). */
  workers: z.number().int().min(1).max(16),
  /** Early stopping: epochs without a better validation Recall@20 before stopping. */
  patience: z.number().int().positive(),
  /**
   * After early stopping, train the same configuration again from the start on every interaction,
   * the validation hold-out included, for as many epochs as the best one took, and serve that
   * model: the hold-out holds each user's newest (or, untimed, a random tenth of their)
   * interactions, which a model that never trains on them leaves unused. The hold-out run is kept
   * beside it (artifact-layout.ts, `HELD_OUT_DIR`) for the figures that need unseen interactions:
   * the retrain gate and `eval` on the hold-out. See run-training.ts.
   */
  refit: z.boolean(),
  /** Validation users evaluated per epoch (a fixed seeded sample when there are more). */
  maxEvalUsers: z.number().int().positive(),
  /** Collapse: stop when the item embeddings' spread (1 − ‖mean‖²) falls below this. */
  minSpread: z.number().nonnegative(),
});

/** See {@link TrainConfigSchema}. */
export type TrainConfig = Readonly<z.infer<typeof TrainConfigSchema>>;

/**
 * Defaults, chosen on validation splits across the whole suite (bench/suite.ts: ml-100k at second
 * and day resolution, steam, book-crossing, anime), not on one log: `train --tune` picked the
 * embedding tables' learning rate 1e-2 over the earlier 3e-3 on every log it searched, with the
 * other settings mostly at these values. τ = 0.1, user-view SSL α = 0.1 and item SSL off follow
 * the reference results (item-feature SSL bought nothing there); a history bag of 50 items beat
 * 25 and 35 on ml-100k (bench/quality.ts).
 */
export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  loss: 'infonce',
  temperature: 0.1,
  adaptiveTemperature: false,
  logQ: true,
  maskAccidentalHits: true,
  globalNegatives: 1024,
  negativeSampler: 'uniform',
  samplerBeta: 0.75,
  itemSslWeight: 0,
  userSslWeight: 0.1,
  sslTemperature: 0.2,
  sslBatchSize: 256,
  featureDropoutRate: 0.3,
  historyMode: 'auto',
  historyDropoutRate: 0.3,
  correlatedMasking: false,
  truncationMaxRate: 0,
  truncationRampSteps: 1000,
  rinceQ: 0,
  rinceLambda: 0.001,
  rinceRelative: false,
  historyViewDropout: 'bag-rows',
  historyInsertRate: 0,
  agreementSharpness: 0,
  reweightBeta: 0,
  positiveWeighting: 'none',
  epochs: 40,
  batchSize: 1024,
  learningRate: 2e-3,
  embeddingLearningRate: 1e-2,
  sparseOptimizer: 'adam',
  seed: 42,
  workers: 1,
  patience: 3,
  refit: true,
  maxEvalUsers: 5000,
  minSpread: 0.01,
};
