import { z } from 'zod';
import { UserError } from '../../common/user-error.js';

const int = (min: number) => z.coerce.number().int().min(min);

/** Schema of the generator's parameters (the `contrarec generate` flags), with defaults. */
export const syntheticConfigSchema = z.object({
  /** Number of users (each gets at least 5 interactions). */
  users: int(1).default(1000),
  /** Number of items in the catalogue (at least 5: every user gets 5 distinct items). */
  items: int(5).default(500),
  /** Total interactions, noise included. */
  interactions: int(1).default(20_000),
  /** Fraction of the interactions that are pure noise (a uniformly random unseen item). */
  noise: z.coerce.number().min(0).max(1).default(0.1),
  /** Seed: the same seed gives byte-identical files. */
  seed: int(0).default(1),
  /** Number of latent topics. */
  topics: int(1).default(8),
});

/** Validated generator parameters. */
export type SyntheticConfig = Readonly<z.infer<typeof syntheticConfigSchema>>;

/** Fewest interactions a user gets. */
export const MIN_USER_INTERACTIONS = 5;

/** Most interactions a user can get: half the catalogue, so that tastes stay visible. */
export function maxUserInteractions(items: number): number {
  return Math.max(MIN_USER_INTERACTIONS, Math.floor(items / 2));
}

/**
 * Parses raw parameters (strings from the command line or numbers) into a `SyntheticConfig`,
 * and checks that they can be satisfied. Throws a `UserError` naming the flag at fault.
 */
export function parseSyntheticConfig(raw: Record<string, unknown>): SyntheticConfig {
  const parsed = syntheticConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue.path[0]);
    throw new UserError(`--${key}: ${issue.message} (got ${JSON.stringify(raw[key])})`);
  }
  const c = parsed.data;
  if (c.topics > c.items) throw new UserError(`--topics: ${c.topics} topics need at least as many items, got ${c.items}`);
  const min = MIN_USER_INTERACTIONS * c.users;
  if (c.interactions < min) {
    throw new UserError(`--interactions: ${c.users} users need at least ${min} interactions (5 each), got ${c.interactions}`);
  }
  const max = maxUserInteractions(c.items) * c.users;
  if (c.interactions > max) {
    throw new UserError(
      `--interactions: ${c.users} users × ${c.items} items allow at most ${max} interactions ` +
        `(${maxUserInteractions(c.items)} per user), got ${c.interactions}`,
    );
  }
  return c;
}
