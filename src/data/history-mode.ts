import { z } from 'zod';
import type { TimingSummary } from './time-order.js';

/**
 * Which of a user's items form the history bag of a training example:
 * - `time-ordered`: the items strictly before the target in time (next-item prediction);
 * - `leave-target-out`: every other training item of the user, the target left out, a random
 *   subset when there are more than the cap (for logs whose time does not order them);
 * - `auto`: `time-ordered` when the log's time orders most interactions, else `leave-target-out`.
 * (No history bag at all is the model option `useHistory: false`, `--history-mode none`.)
 */
export const HistoryModeSchema = z.enum(['auto', 'time-ordered', 'leave-target-out']);

/** See {@link HistoryModeSchema}. */
export type HistoryMode = z.infer<typeof HistoryModeSchema>;

/** A mode once `auto` is decided. */
export type ResolvedHistoryMode = Exclude<HistoryMode, 'auto'>;

/**
 * Above this {@link TimingSummary.unorderedShare}, `auto` leaves the target out instead of reading
 * time order: "the items before the target" would then be mostly empty or arbitrary. Chosen on
 * the suite (bench/suite.ts: ml-100k at second and day resolution against the untimed logs).
 */
export const UNORDERED_SHARE_LIMIT = 0.5;

/** Decides `auto` for a log with this timing; other modes pass through. */
export function resolveHistoryMode(mode: HistoryMode, timing: Pick<TimingSummary, 'unorderedShare'>): ResolvedHistoryMode {
  if (mode !== 'auto') return mode;
  return timing.unorderedShare > UNORDERED_SHARE_LIMIT ? 'leave-target-out' : 'time-ordered';
}
