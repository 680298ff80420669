import type { InteractionLog } from '../store/interaction-log.js';
import { bagColumnFromLists, type BagColumn } from './bag-column.js';
import type { Snapshot } from './snapshot.js';

/**
 * Every user's history over ALL interactions of the log (training and validation), in time order,
 * as item-id rows of the snapshot's vocabulary: what a user's served embedding is built from once
 * training is over (validation interactions are real history too).
 */
export function servingHistory(log: InteractionLog, snapshot: Snapshot): BagColumn {
  const { user, item, ts } = log.interactions;
  const itemIdRow = snapshot.items.columns[0].rows;
  const order = Array.from(user.keys()).sort((a, b) => user[a] - user[b] || ts[a] - ts[b] || item[a] - item[b] || a - b);
  const lists: number[][] = Array.from({ length: log.users.length }, () => []);
  for (const k of order) lists[user[k]].push(itemIdRow[item[k]]);
  return bagColumnFromLists(lists);
}
