import { createRng } from '../common/rng.js';
import { resolveHistoryMode } from '../data/history-mode.js';
import type { Snapshot } from '../data/snapshot.js';
import type { Kernels } from '../kernels/kernels.js';
import { resolveModelConfig, type ModelConfig } from '../model/model-config.js';
import { disposeModel } from '../model/two-tower-model.js';
import { copyWeights, restoreWeights, type WeightsCopy } from './model-weights.js';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from './train-config.js';
import { trainModelParallel, type EpochLog, type TrainObserver, type TrainResult } from './train-model.js';
import { defaultChoice, describeCandidate, sampleCandidates, type TuneCandidate } from './tune-space.js';

/** How `train --tune` searches. */
export interface TuneOptions {
  /** Wall-clock seconds for the whole search, the final training included. */
  readonly budgetSeconds: number;
  /** Epochs of the first rung; each later rung trains η times as long. */
  readonly firstRungEpochs?: number;
  /** Keep the best 1/η of each rung. */
  readonly eta?: number;
  readonly log?: (line: string) => void;
  /** Told about every epoch of every trial (e.g. a lease heartbeat). */
  readonly observer?: TrainObserver;
  /**
   * The budget's clock in seconds; default the wall clock. A test passes one that counts epochs,
   * so that the search's shape does not follow the machine's load.
   */
  readonly clock?: () => number;
}

/** One candidate's standing after a rung. */
export interface TuneTrial {
  readonly rung: number;
  readonly candidate: string;
  readonly epochs: number;
  readonly 'recall@20': number;
  readonly seconds: number;
}

/** The chosen configuration (base plus the winner's changes), its trained model and every trial. */
export interface TuneResult {
  readonly train: Partial<TrainConfig>;
  readonly model: Partial<ModelConfig>;
  readonly result: TrainResult;
  readonly trials: readonly TuneTrial[];
}

/** Frees an arm that left the search: its model's TF.js variables and its weight copy. */
function release(arm: Arm): void {
  if (arm.last !== undefined) disposeModel(arm.last.model);
  arm.last = undefined;
  arm.weights = undefined;
}

interface Arm {
  readonly candidate: TuneCandidate;
  score: number;
  /** Epochs trained so far, kept or not (what the search spent on the arm). */
  epochs: number;
  /** Wall-clock seconds its training took so far. */
  seconds: number;
  weights: WeightsCopy | undefined;
  /** Epochs the saved `weights` have been trained for, from initialisation. */
  weightEpochs: number;
  last: TrainResult | undefined;
}

/**
 * A run that continued from weights already trained for `base` epochs, with its epochs counted
 * from initialisation: the refit trains as many epochs as `bestEpoch` says, so a rung's own count
 * would refit the winner for fewer epochs than its weights had.
 */
export function continuedResult(r: TrainResult, base: number): TrainResult {
  if (base === 0) return r;
  const shift = (e: EpochLog): EpochLog => ({ ...e, epoch: e.epoch + base });
  return { model: r.model, epochs: r.epochs.map(shift), bestEpoch: r.bestEpoch + base, best: shift(r.best) };
}

/**
 * `train --tune`: successive halving on validation Recall@20 (Jamieson & Talwalkar 2016). Rung 0
 * trains n candidates (the defaults first) for a few epochs; each rung keeps the best 1/η and
 * trains them η times as long, continuing from their weights; the winner then trains once more
 * from scratch with early stopping, as long as its epochs or the budget allow, and the better
 * model of the two is kept. n is sized from the measured speed of the
 * defaults' first rung so that the search fits the budget. Deterministic for a seed, except for
 * where a wall-clock budget cuts a rung short. Every trial trains on `kernels`.
 */
// eslint-disable-next-line max-lines-per-function -- the successive-halving rounds share the budget clock and the trial list; each round is one call
export async function tuneTraining(
  kernels: Kernels,
  snapshot: Snapshot,
  trainBase: Partial<TrainConfig>,
  modelBase: Partial<ModelConfig>,
  options: TuneOptions,
): Promise<TuneResult> {
  const clock = options.clock ?? ((): number => performance.now() / 1000);
  const started = clock();
  const elapsed = (): number => clock() - started;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const eta = options.eta ?? 3;
  const e0 = options.firstRungEpochs ?? 2;
  const train: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...trainBase };
  const model: ModelConfig = resolveModelConfig(snapshot, modelBase);
  const resolved = resolveHistoryMode(train.historyMode);
  const trials: TuneTrial[] = [];

  /** Trains `arm` on for `epochs`; its result replaces `into`'s (default: the arm's own) when better. */
  const runArm = async (arm: Arm, rung: number, epochs: number, patience: number, into: Arm = arm): Promise<void> => {
    const t0 = clock();
    const weights = arm.weights;
    const base = weights === undefined ? 0 : arm.weightEpochs;
    const r = await trainModelParallel(
      kernels,
      snapshot,
      { ...train, ...arm.candidate.train, epochs, patience, seed: train.seed + arm.epochs },
      { ...model, ...arm.candidate.model },
      options.observer ?? {},
      weights === undefined ? undefined : (m) => restoreWeights(m, weights),
    );
    arm.epochs += r.epochs.length;
    arm.seconds += clock() - t0;
    const score = r.best['recall@20'] ?? 0;
    if (score > into.score || into.weights === undefined) {
      into.score = score;
      into.epochs = arm.epochs;
      into.seconds = arm.seconds;
      into.weights = copyWeights(r.model);
      into.weightEpochs = base + r.bestEpoch;
      if (into.last !== undefined) disposeModel(into.last.model);
      into.last = continuedResult(r, base);
    } else {
      disposeModel(r.model);
    }
    const seconds = clock() - t0;
    trials.push({ rung, candidate: describeCandidate(arm.candidate), epochs: arm.epochs, 'recall@20': score, seconds });
    log(
      `tune rung ${rung}: ${describeCandidate(arm.candidate)}: valid recall@20 ${score.toFixed(4)} after ${arm.epochs} epochs${arm === into ? '' : ' from scratch'} (${seconds.toFixed(0)} s, ${elapsed().toFixed(0)} of ${options.budgetSeconds} s)`,
    );
  };

  const candidates = sampleCandidates(1000, defaultChoice(train, model, resolved), snapshot.timing, createRng(train.seed));
  const arms: Arm[] = [{ candidate: candidates[0], score: -1, epochs: 0, seconds: 0, weights: undefined, weightEpochs: 0, last: undefined }];
  await runArm(arms[0], 0, e0, e0);
  const secondsPerEpoch = elapsed() / e0;
  // Rung 0 and the later rungs each cost about n·e0 epochs; keep about half the budget for the final training.
  const n = Math.max(1, Math.min(27, Math.floor((0.5 * options.budgetSeconds) / (secondsPerEpoch * e0 * 2))));
  log(`tune: ${secondsPerEpoch.toFixed(1)} s an epoch; ${n} candidates, successive halving with η = ${eta}`);
  for (const candidate of candidates.slice(1, n)) {
    if (elapsed() + secondsPerEpoch * e0 > options.budgetSeconds * 0.5) break;
    const arm: Arm = { candidate, score: -1, epochs: 0, seconds: 0, weights: undefined, weightEpochs: 0, last: undefined };
    arms.push(arm);
    await runArm(arm, 0, e0, e0);
  }
  let alive = arms;
  let rung = 0;
  let epochs = e0;
  while (alive.length > eta - 1 && alive.length > 1) {
    alive.sort((a, b) => b.score - a.score);
    for (const dropped of alive.slice(Math.ceil(alive.length / eta))) release(dropped);
    alive = alive.slice(0, Math.ceil(alive.length / eta));
    rung++;
    const next = epochs * eta;
    for (const arm of alive)
      if (elapsed() + secondsPerEpoch * (next - epochs) < options.budgetSeconds * 0.75) await runArm(arm, rung, next - epochs, next - epochs);
    epochs = next;
  }
  alive.sort((a, b) => b.score - a.score);
  for (const other of alive.slice(1)) release(other);
  const winner = alive[0];
  // The rungs continued from saved weights with fresh optimizer state; the chosen setting is
  // trained once more from scratch with early stopping when the budget holds more epochs than
  // the rungs gave it, and the better of the two on validation is kept.
  // Sized by the winner's own epoch time: a setting such as G = 4096 costs more an epoch than the defaults.
  const winnerSecondsPerEpoch = winner.epochs > 0 ? winner.seconds / winner.epochs : secondsPerEpoch;
  const left = Math.min(train.epochs, Math.floor((options.budgetSeconds - elapsed()) / winnerSecondsPerEpoch));
  const refit = left > winner.epochs;
  if (refit)
    await runArm({ ...winner, score: -1, epochs: 0, seconds: 0, weights: undefined, weightEpochs: 0, last: undefined }, rung + 1, left, train.patience, winner);
  log(`tune: chose ${describeCandidate(winner.candidate)}: valid recall@20 ${winner.score.toFixed(4)} in ${elapsed().toFixed(0)} s`);
  // A budget too small for the log cuts the chosen setting's training short of where early stopping
  // would end it, and the tuned model can then score below a plain `train` (bench:suite on anime).
  const trained = refit ? trials.at(-1)!.epochs : winner.epochs;
  if (trained < train.epochs && (!refit || trained === left)) {
    const needed = options.budgetSeconds + winnerSecondsPerEpoch * (train.epochs - trained);
    log(
      `WARNING: tune: the budget gave the chosen setting ${trained} of its ${train.epochs} epochs and early stopping had not ended it, so an untuned train may score higher; --budget ${Math.ceil(needed / 60)}m would fit them`,
    );
  }
  return { train: { ...trainBase, ...winner.candidate.train }, model: { ...modelBase, ...winner.candidate.model }, result: winner.last!, trials };
}
