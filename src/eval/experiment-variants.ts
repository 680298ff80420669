import { UserError } from '../common/user-error.js';
import type { TrainConfig } from '../train/train-config.js';

/**
 * The experiment's variants as overrides of the trainer's defaults (DEFAULT_TRAIN_CONFIG, the
 * project's default contrastive configuration: InfoNCE, τ 0.1, logQ, 1,024 global negatives,
 * user-view feature/history-dropout SSL α 0.1). Variants are config, not code: this table is the
 * whole difference between them.
 *
 * | variant            | main loss | logQ | global negatives | SSL (user views)         | against noise            |
 * | ------------------ | --------- | ---- | ---------------- | ------------------------ | ------------------------ |
 * | `bce`              | BCE       | off  | default          | off                      | –                        |
 * | `infonce`          | InfoNCE   | on   | default          | off                      | –                        |
 * | `infonce+ssl`      | InfoNCE   | on   | default          | default (= default run)  | –                        |
 * | `infonce-nologq`   | InfoNCE   | off  | default          | default                  | –                        |
 * | `infonce-noglobal` | InfoNCE   | on   | 0 (in-batch only)| default                  | –                        |
 * | `infonce+rince`    | RINCE     | on   | default          | off                      | q 0.1, λ 0.001           |
 * | `infonce+tce`      | InfoNCE   | on   | default          | off                      | truncation, max rate 0.1 |
 * | `infonce+edge-ssl` | InfoNCE   | on   | default          | edge-dropout views only  | –                        |
 * | `infonce+agree`    | InfoNCE   | on   | default          | off (views for weights)  | agreement weights, k 5   |
 * | `infonce+ssl+rince`| RINCE     | on   | default          | default                  | q 0.1, λ 0.0005          |
 * | `infonce+ssl+tce`  | InfoNCE   | on   | default          | default                  | truncation, max rate 0.1 |
 * | `infonce+ssl+agree`| InfoNCE   | on   | default          | default (views shared)   | agreement weights, k 5   |
 * | `infonce+ssl+rince-rel` | RINCE | on   | default          | default                  | q 0.1, λ 3 × batch's p̄  |
 * | `infonce+ssl+rce`  | InfoNCE   | on   | default          | default                  | R-CE weights, β 0.1      |
 * | `infonce+ssl-tau0.15` | InfoNCE, τ 0.15 | on | default    | default                  | a softer softmax         |
 * | `infonce+ssl+insert` | InfoNCE   | on   | default          | default + stray items    | insertion rate 0.1       |
 * | `infonce+ssl+adap-tau` | InfoNCE, τ per epoch | on | default | default                | τ from the model's scores|
 *
 * RINCE's q is the low end of the paper's range (0.1–0.5) and its λ far below the paper's
 * (0.01–0.025): larger values of either drove users away from their items on ml-100k, for the
 * reason given in robust-info-nce.ts (λ must sit near a positive's softmax probability over a
 * catalogue). Beside the SSL term a smaller λ trades clean recall for robustness, monotonically
 * over 0.0002–0.001 on ml-100k's validation split (clean and +10 % uniform noise, 3 seeds; the
 * README's experiment section has the screen): 0.0005 keeps the default's clean validation recall.
 * The T-CE rate is one of Wang et al.'s; SGL's views perturb the graph and nothing else, so `infonce+edge-ssl`
 * turns feature dropout off and thins the interactions at the default history-dropout rate.
 * `infonce+agree` draws its two views the default way (bag rows and features) but trains no SSL
 * term on them, so the weighting alone is what differs from `infonce`.
 * The `infonce+ssl+…` variants keep the default's SSL term beside the robust piece: a new default
 * must keep the clean recall the SSL term buys (issue #18's bound) while losing less under noise.
 * `infonce+ssl+rince-rel` reads λ against the batch's geometric-mean positive probability, so that
 * it does not follow the catalogue's size; 3 was the best of 0.3–10 on ml-100k's validation split
 * (and is not level with the default on anime's).
 * `infonce+ssl+rce`'s β is the largest that did not fall far below the default there (0.25 and
 * above drove it down); `infonce+ssl-tau0.15` is the default at a softer temperature.
 * `infonce+ssl+insert` adds stray items to the user views the SSL term compares (0.3 was no
 * better on ml-100k's validation split); `infonce+ssl+adap-tau` sets τ per epoch by Adap-τ's rule
 * (adaptive-temperature.ts). The README's experiment section has the screens, and why none of
 * them is the default.
 */
export const EXPERIMENT_VARIANTS: Readonly<Record<string, Partial<TrainConfig>>> = {
  bce: { loss: 'bce', logQ: false, itemSslWeight: 0, userSslWeight: 0 },
  infonce: { loss: 'infonce', itemSslWeight: 0, userSslWeight: 0 },
  'infonce+ssl': { loss: 'infonce' },
  'infonce-nologq': { loss: 'infonce', logQ: false },
  'infonce-noglobal': { loss: 'infonce', globalNegatives: 0 },
  'infonce+rince': { loss: 'infonce', itemSslWeight: 0, userSslWeight: 0, rinceQ: 0.1, rinceLambda: 0.001 },
  'infonce+tce': { loss: 'infonce', itemSslWeight: 0, userSslWeight: 0, truncationMaxRate: 0.1 },
  'infonce+edge-ssl': { loss: 'infonce', itemSslWeight: 0, historyViewDropout: 'edges', featureDropoutRate: 0 },
  'infonce+agree': { loss: 'infonce', itemSslWeight: 0, userSslWeight: 0, agreementSharpness: 5 },
  'infonce+ssl+rince': { loss: 'infonce', rinceQ: 0.1, rinceLambda: 0.0005 },
  'infonce+ssl+tce': { loss: 'infonce', truncationMaxRate: 0.1 },
  'infonce+ssl+agree': { loss: 'infonce', agreementSharpness: 5 },
  'infonce+ssl+rince-rel': { loss: 'infonce', rinceQ: 0.1, rinceLambda: 3, rinceRelative: true },
  'infonce+ssl+rce': { loss: 'infonce', reweightBeta: 0.1 },
  'infonce+ssl-tau0.15': { loss: 'infonce', temperature: 0.15 },
  'infonce+ssl+adap-tau': { loss: 'infonce', adaptiveTemperature: true },
  'infonce+ssl+insert': { loss: 'infonce', historyInsertRate: 0.1 },
};

/** The training overrides of a named variant; an unknown name is a UserError listing the known ones. */
export function variantConfig(name: string): Partial<TrainConfig> {
  const config = EXPERIMENT_VARIANTS[name];
  if (config === undefined || !Object.hasOwn(EXPERIMENT_VARIANTS, name)) {
    throw new UserError(`--variants: unknown variant '${name}' (known: ${Object.keys(EXPERIMENT_VARIANTS).join(', ')})`);
  }
  return config;
}
