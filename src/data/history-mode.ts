import { z } from 'zod';

/**
 * Which of a user's items form the history bag of a training example (a random subset when there
 * are more than the cap):
 * - `time-ordered`: the items strictly before the target in time (next-item prediction; an item
 *   at the target's own timestamp is not before it);
 * - `leave-target-out`: every other training item of the user, the target left out;
 * - `not-after`: every other training item not later than the target (its ties included). Where
 *   every time differs it is `time-ordered`; on an untimed log it is `leave-target-out`; on coarse
 *   times it reads the order between days and leaves the target out within a day.
 * - `auto`: `not-after`, which was at least as good as the other two on every log of the suite
 *   (bench/suite.ts; ml-100k at second and day resolution, steam, book-crossing, anime).
 * (No history bag at all is the model option `useHistory: false`, `--history-mode none`.)
 */
export const HistoryModeSchema = z.enum(['auto', 'time-ordered', 'leave-target-out', 'not-after']);

/** See {@link HistoryModeSchema}. */
export type HistoryMode = z.infer<typeof HistoryModeSchema>;

/** A mode once `auto` is decided. */
export type ResolvedHistoryMode = Exclude<HistoryMode, 'auto'>;

/** Decides `auto`; other modes pass through. */
export function resolveHistoryMode(mode: HistoryMode): ResolvedHistoryMode {
  return mode === 'auto' ? 'not-after' : mode;
}
