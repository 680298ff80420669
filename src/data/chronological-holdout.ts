import type { InteractionColumns } from '../store/interaction-log.js';
import { perUserInTime, timeOrderOf, type TimeOrder } from './time-order.js';

/**
 * Marks each user's newest interactions as validation, as in `shared/benchmarks/README.md`: per
 * user, in time order ({@link TimeOrder}: ties and untimed interactions in a seeded random order,
 * so an untimed user gets a seeded random split), with n interactions the last
 * `max(1, floor(fraction·n + 0.5))` are held out; users with n < 3 stay entirely in training.
 * Returns a 0/1 mask over the interactions.
 */
export function chronologicalHoldout(
  interactions: InteractionColumns,
  numUsers: number,
  fraction = 0.1,
  order: TimeOrder = timeOrderOf(interactions),
): Uint8Array {
  return holdoutOfLists(perUserInTime(interactions, numUsers, order), interactions.user.length, fraction);
}

/** {@link chronologicalHoldout} on per-user lists already in time order (n interactions in all). */
export function holdoutOfLists(byUser: readonly (readonly number[])[], n: number, fraction: number): Uint8Array {
  const mask = new Uint8Array(n);
  for (const list of byUser) {
    if (list.length < 3) continue;
    const nValid = Math.max(1, Math.floor(fraction * list.length + 0.5));
    for (let j = list.length - nValid; j < list.length; j++) mask[list[j]] = 1;
  }
  return mask;
}
