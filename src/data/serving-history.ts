import type { InteractionLog } from '../store/interaction-log.js';
import { bagColumnFromLists, type BagColumn } from './bag-column.js';
import type { Snapshot } from './snapshot.js';
import { DEFAULT_TIE_SEED, perUserInTime, timeOrderOf } from './time-order.js';

/**
 * Every user's history over ALL interactions of the log (training and validation), in time order
 * (time-order.ts: the same order the snapshot uses), as item-id rows of the snapshot's
 * vocabulary: what a user's served embedding is built from once training is over (validation
 * interactions are real history too).
 */
export function servingHistory(log: InteractionLog, snapshot: Snapshot, tieSeed = DEFAULT_TIE_SEED): BagColumn {
  const itemIdRow = snapshot.items.columns[0].rows;
  const { item } = log.interactions;
  const byUser = perUserInTime(log.interactions, log.users.length, timeOrderOf(log.interactions, tieSeed));
  return bagColumnFromLists(byUser.map((list) => list.map((k) => itemIdRow[item[k]])));
}
