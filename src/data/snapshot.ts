import type { EntityRecord, FeatureField, InteractionLog } from '../store/interaction-log.js';
import { bagColumnFromLists, type BagColumn } from './bag-column.js';
import { holdoutOfLists } from './chronological-holdout.js';
import { encodeFeature, fitFeatureSpec, type FeatureSpec } from './feature-spec.js';
import { DEFAULT_TIE_SEED, perUserInTime, timeOrderOf, timingSummary, type TimingSummary } from './time-order.js';
import { buildVocabulary, OOV_ROW, vocabularyFromTokens } from './vocabulary.js';

/** Name of the id feature every entity table has first; `@` keeps it apart from user feature names. */
export const ID_FEATURE = '@id';

/** How validation interactions are chosen: per-user chronological hold-out, none, or given. */
export type SplitSpec =
  | { readonly kind: 'holdout'; readonly fraction: number }
  | { readonly kind: 'none' }
  /** `validation[k] = 1` marks interaction k as validation (e.g. the benchmark's valid.tsv rows). */
  | { readonly kind: 'explicit'; readonly validation: Uint8Array };

/** Snapshot options; every field has a default in {@link DEFAULT_SNAPSHOT_OPTIONS}. */
export interface SnapshotOptions {
  readonly split: SplitSpec;
  /** Users/items with fewer training interactions share the OOV id row. */
  readonly idMinCount: number;
  /** Feature tokens carried by fewer entities map to the OOV row. */
  readonly featureMinCount: number;
  /** Quantile buckets for numeric features. */
  readonly numericBuckets: number;
  /** Seed of the shuffle that orders ties in time and untimed interactions (see time-order.ts). */
  readonly tieSeed: number;
}

/** Defaults: 10% chronological hold-out, every trained id kept, rare feature tokens pooled. */
export const DEFAULT_SNAPSHOT_OPTIONS: SnapshotOptions = {
  split: { kind: 'holdout', fraction: 0.1 },
  idMinCount: 1,
  featureMinCount: 2,
  numericBuckets: 10,
  tieSeed: DEFAULT_TIE_SEED,
};

/** One side (users or items): external ids, and per feature (id first) its spec and encoded bags. */
export interface EntityTable {
  readonly externalIds: readonly string[];
  readonly specs: readonly FeatureSpec[];
  readonly columns: readonly BagColumn[];
}

/**
 * Everything the trainer reads, as typed arrays. Training example k is (train.user[k], train.item[k]);
 * its own row in its user's history is `userHistory.rows[train.self[k]]`, and the items strictly
 * before it in time are `userHistory.rows[userHistory.offsets[u] .. train.historyEnd[k])` (an
 * interaction at the target's own time is not before it, nor is any untimed one); those not after
 * it end at `train.tieEnd[k]` (its tie group included).
 */
export interface Snapshot {
  readonly users: EntityTable;
  readonly items: EntityTable;
  readonly train: {
    readonly user: Int32Array;
    readonly item: Int32Array;
    readonly historyEnd: Int32Array;
    readonly tieEnd: Int32Array;
    readonly self: Int32Array;
    /**
     * Example k's stored strength (`interactions.weight`), or null when every training
     * interaction has the same one: then there is nothing to weigh, and no array is kept.
     */
    readonly weight: Float32Array | null;
  };
  /** How far the log's time can order a user's interactions (decides the history mode `auto`). */
  readonly timing: TimingSummary;
  /** Per user, item-id rows of their training interactions in time order (serving uses all of them). */
  readonly userHistory: BagColumn;
  /** Per user, item indices of their training interactions (excluded from validation ranking). */
  readonly trainItems: BagColumn;
  /** Per user, item indices of their validation interactions (the ground truth). */
  readonly validation: BagColumn;
  /** Per item, its share of the training interactions (the logQ estimate for in-batch candidates). */
  readonly itemFrequency: Float64Array;
}

function entityTable(records: readonly EntityRecord[], fields: readonly FeatureField[], idTokens: string[], o: SnapshotOptions): EntityTable {
  const idSpec: FeatureSpec = { name: ID_FEATURE, kind: 'categorical', tokens: idTokens, boundaries: [] };
  const specs = [idSpec, ...fields.map((f) => fitFeatureSpec(f, records, o.featureMinCount, o.numericBuckets))];
  const columns = specs.map((spec, s) => {
    const vocab = vocabularyFromTokens(spec.tokens);
    return bagColumnFromLists(records.map((r) => encodeFeature(spec, vocab, s === 0 ? r.externalId : r.features[spec.name])));
  });
  return { externalIds: records.map((r) => r.externalId), specs, columns };
}

/** Equal times, where two untimed interactions count as equal (neither is before the other). */
function sameTime(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function idTokens(records: readonly EntityRecord[], index: Int32Array, isTrain: (k: number) => boolean, minCount: number): string[] {
  const counts = new Map<string, number>();
  for (let k = 0; k < index.length; k++) {
    if (!isTrain(k)) continue;
    const id = records[index[k]].externalId;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return [...buildVocabulary(counts, minCount).tokens];
}

/** Whether every training interaction (the lists' entries) carries the same weight. */
function uniformTrainWeight(weight: Float32Array, byUser: readonly (readonly number[])[]): boolean {
  let first: number | undefined;
  for (const list of byUser)
    for (const k of list) {
      first ??= weight[k];
      if (!Object.is(weight[k], first)) return false;
    }
  return true;
}

/**
 * Builds the training snapshot from an interaction log: vocabularies (fitted on training
 * interactions only), the validation split, per-example history positions and item frequencies.
 * Training examples are grouped by user, each user's in time order (time-order.ts).
 *
 * @example
 *   const snap = buildSnapshot(await readInteractionLog(store), { ...DEFAULT_SNAPSHOT_OPTIONS });
 */
// eslint-disable-next-line max-lines-per-function -- one pass of typed-array building steps over the same log; each step's output feeds the next
export function buildSnapshot(log: InteractionLog, options: Partial<SnapshotOptions> = {}): Snapshot {
  const o = { ...DEFAULT_SNAPSHOT_OPTIONS, ...options };
  const { user, item } = log.interactions;
  const n = user.length;
  // Every user's interactions in time order, sorted once: the split and both sides read it.
  const inTime = perUserInTime(log.interactions, log.users.length, timeOrderOf(log.interactions, o.tieSeed));
  const valid = o.split.kind === 'holdout' ? holdoutOfLists(inTime, n, o.split.fraction) : o.split.kind === 'explicit' ? o.split.validation : new Uint8Array(n);
  if (valid.length !== n) throw new Error(`explicit validation mask has ${valid.length} entries for ${n} interactions`);
  const isTrain = (k: number): boolean => valid[k] === 0;
  const users = entityTable(
    log.users,
    log.featureFields.filter((f) => f.entity === 'user'),
    idTokens(log.users, user, isTrain, o.idMinCount),
    o,
  );
  const items = entityTable(
    log.items,
    log.featureFields.filter((f) => f.entity === 'item'),
    idTokens(log.items, item, isTrain, o.idMinCount),
    o,
  );
  const itemIdRow = items.columns[0].rows; // one row per item: bags of one
  const byUser = inTime.map((list) => list.filter(isTrain));
  const trainCount = byUser.reduce((sum, l) => sum + l.length, 0);
  const trainUser = new Int32Array(trainCount);
  const trainItem = new Int32Array(trainCount);
  const historyEnd = new Int32Array(trainCount);
  const self = new Int32Array(trainCount);
  const tieEnd = new Int32Array(trainCount);
  const frequency = new Float64Array(log.items.length);
  const historyOffsets = new Int32Array(log.users.length + 1);
  const historyRows = new Int32Array(trainCount);
  const { ts } = log.interactions;
  const weight = uniformTrainWeight(log.interactions.weight, byUser) ? null : new Float32Array(trainCount);
  let j = 0;
  byUser.forEach((list, u) => {
    let tieStart = j; // the first example of the current tie group (equal times; all untimed ones)
    for (let p = 0; p < list.length; p++, j++) {
      const k = list[p];
      if (p > 0 && !sameTime(ts[k], ts[list[p - 1]])) tieStart = j;
      trainUser[j] = u;
      trainItem[j] = item[k];
      self[j] = j;
      historyEnd[j] = tieStart;
      historyRows[j] = itemIdRow[item[k]] ?? OOV_ROW;
      if (weight) weight[j] = log.interactions.weight[k];
      frequency[item[k]] += 1 / trainCount;
    }
    historyOffsets[u + 1] = j;
    for (let e = j - 1, end = j; e >= historyOffsets[u]; e--) {
      tieEnd[e] = end;
      if (historyEnd[e] === e) end = e; // e opens its tie group: the group before it ends here
    }
  });
  const userHistory = { offsets: historyOffsets, rows: historyRows };
  const trainItems = bagColumnFromLists(byUser.map((list) => list.map((k) => item[k])));
  const validation = bagColumnFromLists(inTime.map((list) => list.filter((k) => !isTrain(k)).map((k) => item[k])));
  return {
    users,
    items,
    train: { user: trainUser, item: trainItem, historyEnd, tieEnd, self, weight },
    timing: timingSummary(byUser, ts),
    userHistory,
    trainItems,
    validation,
    itemFrequency: frequency,
  };
}
