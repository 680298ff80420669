import type { FeatureKind, FeatureValue } from './interaction-log.js';
import type { RejectedRow } from './batches.js';

/** Whether an entity row created a new user/item, changed an existing one's features, or changed nothing. */
export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

/** One user's or item's features as a file gives them. */
export interface EntityUpsert {
  readonly externalId: string;
  readonly features: Readonly<Record<string, FeatureValue>>;
}

/**
 * Writes user or item side features for one batch, in a single transaction (feature files are
 * small next to interaction logs, and one transaction makes a rollback exact). New features
 * are merged into the stored ones (JSON merge patch), so that two files can describe
 * different fields of the same entity.
 */
export interface EntityWriter {
  /** Upserts entities' features, in order (a later row for the same id merges into the earlier); counts each row's outcome. */
  upsert(rows: readonly EntityUpsert[]): Promise<Record<UpsertOutcome, number>>;
  /** Records rejected rows inside the transaction. */
  reject(rows: readonly RejectedRow[]): Promise<void>;
  /** Records the kind of each field, widening numeric → categorical → multi when files disagree. */
  declareFields(fields: ReadonlyMap<string, FeatureKind>): Promise<void>;
  /** Commits everything. */
  commit(): Promise<void>;
  /** Rolls everything back. */
  abort(): Promise<void>;
}

const KIND_RANK: Readonly<Record<FeatureKind, number>> = { numeric: 0, categorical: 1, multi: 2 };

/** The wider of two kinds: a field that held numbers and then words is categorical, and so on. */
export function widenKind(a: FeatureKind, b: FeatureKind): FeatureKind {
  return KIND_RANK[a] >= KIND_RANK[b] ? a : b;
}
