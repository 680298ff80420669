import type { InteractionColumns } from '../store/interaction-log.js';

/**
 * Marks each user's last interactions as validation, as in `shared/benchmarks/README.md`: per user,
 * in chronological order (the log is sorted by timestamp; ties broken by item index), with n
 * interactions the last `max(1, floor(fraction·n + 0.5))` are held out; users with n < 3 stay
 * entirely in training. Returns a 0/1 mask over the interactions.
 */
export function chronologicalHoldout(interactions: InteractionColumns, numUsers: number, fraction = 0.1): Uint8Array {
  const n = interactions.user.length;
  const byUser: number[][] = Array.from({ length: numUsers }, () => []);
  for (let k = 0; k < n; k++) byUser[interactions.user[k]].push(k);
  const mask = new Uint8Array(n);
  for (const list of byUser) {
    if (list.length < 3) continue;
    list.sort((a, b) => interactions.ts[a] - interactions.ts[b] || interactions.item[a] - interactions.item[b] || a - b);
    const nValid = Math.max(1, Math.floor(fraction * list.length + 0.5));
    for (let j = list.length - nValid; j < list.length; j++) mask[list[j]] = 1;
  }
  return mask;
}
