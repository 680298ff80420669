import { UserError } from '../common/user-error.js';
import type { TrainConfig } from '../train/train-config.js';

/**
 * The experiment's variants as overrides of the trainer's defaults (DEFAULT_TRAIN_CONFIG, the
 * project's default contrastive configuration: InfoNCE, τ 0.1, logQ, 1,024 global negatives,
 * user-view feature/history-dropout SSL α 0.1). Variants are config, not code: this table is the
 * whole difference between them.
 *
 * | variant            | main loss | logQ | global negatives | SSL (feature-dropout views) |
 * | ------------------ | --------- | ---- | ---------------- | --------------------------- |
 * | `bce`              | BCE       | off  | default          | off                         |
 * | `infonce`          | InfoNCE   | on   | default          | off                         |
 * | `infonce+ssl`      | InfoNCE   | on   | default          | default (= the default run) |
 * | `infonce-nologq`   | InfoNCE   | off  | default          | default                     |
 * | `infonce-noglobal` | InfoNCE   | on   | 0 (in-batch only)| default                     |
 */
export const EXPERIMENT_VARIANTS: Readonly<Record<string, Partial<TrainConfig>>> = {
  bce: { loss: 'bce', logQ: false, itemSslWeight: 0, userSslWeight: 0 },
  infonce: { loss: 'infonce', itemSslWeight: 0, userSslWeight: 0 },
  'infonce+ssl': { loss: 'infonce' },
  'infonce-nologq': { loss: 'infonce', logQ: false },
  'infonce-noglobal': { loss: 'infonce', globalNegatives: 0 },
};

/** The training overrides of a named variant; an unknown name is a UserError listing the known ones. */
export function variantConfig(name: string): Partial<TrainConfig> {
  const config = EXPERIMENT_VARIANTS[name];
  if (config === undefined || !Object.hasOwn(EXPERIMENT_VARIANTS, name)) {
    throw new UserError(`--variants: unknown variant '${name}' (known: ${Object.keys(EXPERIMENT_VARIANTS).join(', ')})`);
  }
  return config;
}
