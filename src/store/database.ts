import type { Generated } from 'kysely';
import type { ModelArtifactChunkTable, ModelArtifactFileTable } from './artifact-tables.js';
import type { IdempotencyKeyTable } from './idempotency-key-table.js';
import type { LeaseTable, ModelActivationTable } from './lease-tables.js';

export type { LeaseTable, ModelActivationTable } from './lease-tables.js';

/**
 * The typed schema as the current code sees it (the result of every migration in
 * `migrations/`). Timestamps are unix seconds; `features`, `config` and `metrics` hold JSON text.
 */
export interface Database {
  users: EntityTable;
  items: EntityTable & { deleted_at: number | null };
  feature_fields: FeatureFieldTable;
  interactions: InteractionTable;
  ingest_batches: IngestBatchTable;
  rejected_rows: RejectedRowTable;
  models: ModelTable;
  leases: LeaseTable;
  model_activations: ModelActivationTable;
  model_artifact_files: ModelArtifactFileTable;
  model_artifact_chunks: ModelArtifactChunkTable;
  idempotency_keys: IdempotencyKeyTable;
}

/** Users and items share this shape; `batch_id` is the ingest batch that created the row. */
export interface EntityTable {
  id: Generated<number>;
  external_id: string;
  features: Generated<string>;
  batch_id: number | null;
  created_at: number;
}

/** Declared kind of one side-feature field. */
export interface FeatureFieldTable {
  entity: 'user' | 'item';
  name: string;
  kind: 'categorical' | 'multi' | 'numeric';
}

/** One interaction; the primary key (ts, user_id, item_id, event) is the dedupe key. */
export interface InteractionTable {
  user_id: number;
  item_id: number;
  ts: number;
  event: Generated<string>;
  weight: Generated<number>;
  batch_id: number | null;
}

/** Lifecycle of an ingest batch. */
export type BatchStatus = 'running' | 'complete' | 'rolled_back' | 'failed';

/** One `contrarec ingest` run (or one API write), with its counts. */
export interface IngestBatchTable {
  id: Generated<number>;
  kind: 'interactions' | 'users' | 'items';
  source: string;
  format: string;
  status: BatchStatus;
  rows_read: Generated<number>;
  rows_inserted: Generated<number>;
  duplicates: Generated<number>;
  rejected: Generated<number>;
  started_at: number;
  finished_at: number | null;
  error: string | null;
}

/** A row that failed validation: kept with its file, 1-based line (header = 1) and reason. */
export interface RejectedRowTable {
  id: Generated<number>;
  batch_id: number;
  file: string;
  line: number;
  raw: string;
  reason: string;
}

/** Lifecycle of a trained model. */
export type ModelStatus = 'training' | 'ready' | 'active' | 'failed' | 'retired';

/** The model registry: one row per training run. */
export interface ModelTable {
  id: Generated<number>;
  version: string;
  status: ModelStatus;
  created_at: number;
  finished_at: number | null;
  data_from: number | null;
  data_to: number | null;
  config: Generated<string>;
  metrics: Generated<string>;
  artifact_dir: string | null;
  reason: string | null;
}
