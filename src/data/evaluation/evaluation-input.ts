import { buildUserItemLists } from '../../metrics/build-user-item-lists.js';
import type { UserItemLists } from '../../metrics/item-set.js';
import type { Snapshot } from '../snapshot.js';
import { NOTHING_DROPPED, type DroppedPairs, type RowPairs } from './row-pairs.js';

/**
 * Which interactions are the truth of a full-ranking evaluation, which are excluded from the
 * ranking, and which users are ranked:
 *
 * - `validation`: the snapshot's validation split for the given `users` (the trainer's sample),
 *   their training items excluded.
 * - `holdout`: the same split for every user with a held-out item (the newest interactions of each
 *   user, as retrain and `contrarec eval` score a model). With `itemRows` the snapshot's items are
 *   mapped onto a model's catalogue first; truth items it lacks are dropped and counted.
 * - `test`: a test file's `truth` pairs, every `seen` pair (all the model's users did before the
 *   test period) excluded, already in the model's rows. With `minRating` only the truth pairs
 *   rated at least that are the truth (the real-noise protocol of Wang et al. 2021, "Denoising
 *   Implicit Feedback for Recommendation": train on every interaction, disliked ones included,
 *   test on the liked ones); a user with none is not evaluated. The pairs below it are dropped
 *   from the truth only: they stay in the ranking as items the user did not like, since
 *   excluding them would tell the ranking what the user did in the test period.
 */
export type EvaluationProtocol =
  | { readonly kind: 'validation'; readonly snapshot: Snapshot; readonly users: Int32Array }
  | { readonly kind: 'holdout'; readonly snapshot: Snapshot; readonly itemRows?: ItemRows }
  | {
      readonly kind: 'test';
      readonly numUsers: number;
      readonly numItems: number;
      readonly seen: RowPairs;
      readonly truth: RowPairs & { readonly rating?: ArrayLike<number> };
      /** Only truth pairs rated at least this count (needs `truth.rating`; an unknown rating, NaN, is not). */
      readonly minRating?: number;
      /** The pairs the model trained on, which make an item popular (head/tail); default `seen`. */
      readonly trained?: RowPairs;
      /** Truth pairs the caller could not map onto the model's rows, passed through to the input. */
      readonly dropped?: DroppedPairs;
    };

/** The snapshot's items as rows of a model's catalogue: `rowOf[i]` is item i's row, -1 when the model lacks it. */
export interface ItemRows {
  readonly rowOf: Int32Array;
  readonly numItems: number;
}

/** What `evaluateFullRanking` ranks on, in the model's user and item rows. */
export interface EvaluationInput {
  /** Rows of the user space (the length of the exclusion and truth offsets, minus one). */
  readonly numUsers: number;
  /** Users to rank, ascending. */
  readonly users: Int32Array;
  /** Per user, the items removed from their ranking. */
  readonly exclude: UserItemLists;
  /** Per user, the items they chose in the evaluated period. */
  readonly truth: UserItemLists;
  /** Per item row, its count in the interactions the model trained on (head/tail split, most-popular ranking). */
  readonly itemPopularity: Float64Array;
  readonly dropped: DroppedPairs;
  /** Truth pairs left out for a rating below the protocol's `minRating` (0 without one). */
  readonly belowMinRating: number;
}

/** The pairs rated at least `minRating`, and how many were not. */
function ratedAtLeast(truth: RowPairs & { readonly rating?: ArrayLike<number> }, minRating: number): { pairs: RowPairs; below: number } {
  const { rating } = truth;
  if (rating === undefined) throw new Error("evaluationInput: a minimum rating needs the truth pairs' ratings");
  const keep: number[] = [];
  for (let k = 0; k < truth.user.length; k++) if (rating[k] >= minRating) keep.push(k);
  return {
    pairs: { user: Int32Array.from(keep, (k) => truth.user[k]), item: Int32Array.from(keep, (k) => truth.item[k]) },
    below: truth.user.length - keep.length,
  };
}

function usersWithTruth(truth: UserItemLists): Int32Array {
  const users: number[] = [];
  for (let u = 0; u + 1 < truth.offsets.length; u++) if (truth.offsets[u + 1] > truth.offsets[u]) users.push(u);
  return Int32Array.from(users);
}

function countItems(items: ArrayLike<number>, numItems: number): Float64Array {
  const counts = new Float64Array(numItems);
  for (let k = 0; k < items.length; k++) if (items[k] >= 0) counts[items[k]]++;
  return counts;
}

/** A snapshot's per-user lists with their items moved onto a model's rows (missing ones left out). */
function onItemRows(
  lists: { readonly offsets: Int32Array; readonly rows: Int32Array },
  rowOf: Int32Array,
): { lists: UserItemLists; items: Int32Array; missing: number } {
  const numUsers = lists.offsets.length - 1;
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < numUsers; u++) {
    for (let p = lists.offsets[u]; p < lists.offsets[u + 1]; p++) {
      const row = rowOf[lists.rows[p]];
      if (row >= 0) {
        users.push(u);
        items.push(row);
      }
    }
  }
  const itemRows = Int32Array.from(items);
  return { lists: buildUserItemLists(numUsers, Int32Array.from(users), itemRows), items: itemRows, missing: lists.rows.length - items.length };
}

function snapshotInput(snapshot: Snapshot, users: Int32Array | undefined, itemRows: ItemRows | undefined): EvaluationInput {
  const { trainItems, validation } = snapshot;
  const numUsers = snapshot.users.externalIds.length;
  if (itemRows === undefined) {
    const truth = { offsets: validation.offsets, items: validation.rows };
    return {
      numUsers,
      users: users ?? usersWithTruth(truth),
      exclude: { offsets: trainItems.offsets, items: trainItems.rows },
      truth,
      // The training interactions only: a held-out item must not make itself popular.
      itemPopularity: countItems(snapshot.train.item, snapshot.items.externalIds.length),
      dropped: NOTHING_DROPPED,
      belowMinRating: 0,
    };
  }
  const exclude = onItemRows(trainItems, itemRows.rowOf);
  const truth = onItemRows(validation, itemRows.rowOf);
  return {
    numUsers,
    users: users ?? usersWithTruth(truth.lists),
    exclude: exclude.lists,
    truth: truth.lists,
    itemPopularity: countItems(exclude.items, itemRows.numItems),
    dropped: { ...NOTHING_DROPPED, unknownItemRows: truth.missing },
    belowMinRating: 0,
  };
}

/**
 * The users, exclusions and truth of one evaluation protocol, the one place every full-ranking
 * evaluation (training's per-epoch validation, `contrarec eval`, the experiment's test, retrain's
 * gate, the quality benchmark) gets them from, so that their figures are measured alike.
 *
 * @example
 *   const input = evaluationInput({ kind: 'holdout', snapshot });
 *   evaluateFullRanking({ userEmbeddings, itemEmbeddings, dim, ...rankingInputOf(input), ks: [20] });
 */
export function evaluationInput(protocol: EvaluationProtocol): EvaluationInput {
  switch (protocol.kind) {
    case 'validation':
      return snapshotInput(protocol.snapshot, protocol.users, undefined);
    case 'holdout':
      return snapshotInput(protocol.snapshot, undefined, protocol.itemRows);
    case 'test': {
      const { numUsers, numItems, seen } = protocol;
      const { pairs: truth, below } = protocol.minRating === undefined ? { pairs: protocol.truth, below: 0 } : ratedAtLeast(protocol.truth, protocol.minRating);
      const truthLists = buildUserItemLists(numUsers, truth.user, truth.item);
      return {
        numUsers,
        users: usersWithTruth(truthLists),
        exclude: buildUserItemLists(numUsers, seen.user, seen.item),
        truth: truthLists,
        itemPopularity: countItems((protocol.trained ?? seen).item, numItems),
        dropped: protocol.dropped ?? NOTHING_DROPPED,
        belowMinRating: below,
      };
    }
  }
}

/** The part of an input `evaluateFullRanking` and `evaluateMostPopular` take (no popularity: head/tail is the caller's choice). */
export function rankingInputOf(input: EvaluationInput): { readonly users: Int32Array; readonly exclude: UserItemLists; readonly truth: UserItemLists } {
  return { users: input.users, exclude: input.exclude, truth: input.truth };
}
