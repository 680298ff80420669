/**
 * The store's public API: everything the stages above `src/store` may use. SQL, kysely and
 * better-sqlite3 stay behind it.
 */
export { openStore } from './open-store.js';
export { isDatabaseUnreachable } from './connection-errors.js';
export type { Store, OpenStoreOptions } from './store.js';
export type { BatchStatus, ModelStatus } from './database.js';
export type { EntityRecord, FeatureField, FeatureKind, FeatureValue, InteractionColumns, InteractionLog } from './interaction-log.js';
export { readInteractionLog, coerceFeatures, type ReadInteractionLogOptions } from './read-interaction-log.js';
export { readStats, nearestRank, type StoreStats, type CountQuantiles } from './stats.js';
export { UNTIMED_TS, MAX_ABS_TIMESTAMP } from './untimed.js';
export {
  beginBatch,
  finishBatch,
  rollbackBatch,
  countBatchInteractions,
  insertRejects,
  listRejects,
  listBatches,
  type BatchKind,
  type BatchOutcome,
  type IngestBatch,
  type RejectedRow,
} from './batches.js';
export { openInteractionWriter, type InteractionWriter, type EncodedInteractions } from './interaction-writer.js';
export { writeInteractionBatch, type InteractionRecord, type WriteBatchResult } from './write-interaction-batch.js';
export { readIdempotentWrite, type IdempotencyClaim, type IdempotentWrite } from './idempotency-keys.js';
export { openEntityWriter, widenKind, type EntityUpsert, type EntityWriter, type UpsertOutcome } from './entity-writer.js';
export { insertModel, updateModel, listModels, getModel, getActiveModel, activateModel, type ModelRecord, type NewModel, type ModelUpdate } from './models.js';
export { integrityCheck, countRows } from './integrity.js';
export { markItemDeleted, markItemsDeleted, type ItemsDeletion } from './items.js';
export { listDeletedItemIds } from './list-deleted-item-ids.js';
export { readInteractionPairs, readInteractionPairsThrough, type InteractionPairs } from './interaction-pairs.js';
export { acquireLease, renewLease, releaseLease, readLease, type Lease, type LeaseRequest, type LeaseAcquisition } from './leases.js';
export { listenForActivations, type ActivationListener } from './activation-notices.js';
export { listActivations, failAbandonedModels, type ModelActivation } from './model-history.js';
export { findItems, featureKinds, type CatalogueItem } from './catalogue-items.js';
export { searchItems } from './search-items.js';
export { readUserHistory, type UserHistory, type HistoryEntry } from './user-history.js';
export { readUserFeatures } from './live-user-features.js';
export { readInteractionChanges, readInteractionWatermark, type ChangedInteraction, type InteractionChanges } from './interaction-changes.js';
export { readItemChanges, NO_ITEMS_READ, type ItemChanges, type ItemWatermark } from './item-changes.js';
export { writeItemBatch, type WriteItemsResult } from './write-item-batch.js';
export {
  ARTIFACT_CHUNK_BYTES,
  storesArtifacts,
  writeArtifactFiles,
  listArtifactFiles,
  readArtifactChunks,
  listStoredArtifactVersions,
  deleteArtifactFiles,
  type StoredArtifactFile,
  type ArtifactFileSource,
} from './artifact-files.js';
