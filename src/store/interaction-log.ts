/**
 * The plain, columnar picture of the store that the stages above read: entities with their
 * side features, and interactions as parallel typed arrays indexing into them. It is the
 * boundary between `src/store` (which fills it) and `src/data` (which builds vocabularies,
 * splits and training arrays from it), so nothing above the store sees SQL.
 */

/** A side-feature value: categorical (string), multi-valued categorical (string[]), numeric (number). */
export type FeatureValue = string | number | readonly string[];

/** How a feature field is interpreted: one token, a bag of tokens (mean-pooled), or a number (bucketised). */
export type FeatureKind = 'categorical' | 'multi' | 'numeric';

/** Declared type of one side-feature field of users or items. */
export interface FeatureField {
  readonly entity: 'user' | 'item';
  readonly name: string;
  readonly kind: FeatureKind;
}

/** A user or an item: its external id (the id in the logs) and its side features. */
export interface EntityRecord {
  readonly externalId: string;
  readonly features: Readonly<Record<string, FeatureValue>>;
}

/**
 * Interactions as parallel arrays of equal length n, sorted by (timestamp, user, item), with
 * the untimed ones (ts NaN) first. `user[i]` and `item[i]` index into `InteractionLog.users`
 * / `.items`.
 */
export interface InteractionColumns {
  readonly user: Int32Array;
  readonly item: Int32Array;
  /** ts: unix seconds, NaN when the interaction has no time (never compare it with `<` blindly). */
  readonly ts: Float64Array;
  readonly weight: Float32Array;
}

/** Everything the trainer needs from the store at one point in time. */
export interface InteractionLog {
  readonly users: readonly EntityRecord[];
  readonly items: readonly EntityRecord[];
  readonly featureFields: readonly FeatureField[];
  readonly interactions: InteractionColumns;
}
