import type { Selectable } from 'kysely';
import { z } from 'zod';
import { withCurrentMetricKeys } from '../metrics/legacy-metric-keys.js';
import { notifyActivation } from './activation-notices.js';
import type { ModelStatus, ModelTable } from './database.js';
import { lockForTransaction } from './postgres-xact-lock.js';
import { kyselyOf, type Store } from './store.js';

export type { ModelStatus } from './database.js';

/** A registered model as the trainer, retrain pipeline and server see it. */
export interface ModelRecord {
  readonly version: string;
  readonly status: ModelStatus;
  /** Unix seconds. */
  readonly createdAt: number;
  readonly finishedAt: number | null;
  /** Time range of the training data, unix seconds. */
  readonly dataFrom: number | null;
  readonly dataTo: number | null;
  readonly config: unknown;
  readonly metrics: unknown;
  readonly artifactDir: string | null;
  readonly reason: string | null;
}

/** Fields for {@link insertModel}; status defaults to `training`. */
export interface NewModel {
  readonly version: string;
  readonly status?: ModelStatus;
  readonly dataFrom?: number | null;
  readonly dataTo?: number | null;
  readonly config?: unknown;
  readonly artifactDir?: string | null;
}

/** Fields {@link updateModel} may change. Use {@link activateModel} to make a model active. */
export interface ModelUpdate {
  readonly status?: Exclude<ModelStatus, 'active'>;
  readonly metrics?: unknown;
  readonly reason?: string | null;
  readonly finishedAt?: number | null;
  readonly artifactDir?: string | null;
  /** The configuration, when a search (`train --tune`) chose it after the version was registered. */
  readonly config?: unknown;
}

const now = (): number => Math.floor(Date.now() / 1000);

// The JSON columns as read: metrics (and tuning trials in the config) stored by an earlier
// version under `recall20`-style keys read back under `recall@20`-style ones.
const StoredJson = withCurrentMetricKeys(z.unknown());

function toRecord(r: Selectable<ModelTable>): ModelRecord {
  return {
    version: r.version,
    status: r.status,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    dataFrom: r.data_from,
    dataTo: r.data_to,
    config: StoredJson.parse(JSON.parse(r.config)),
    metrics: StoredJson.parse(JSON.parse(r.metrics)),
    artifactDir: r.artifact_dir,
    reason: r.reason,
  };
}

/** Registers a new model version (unique; a duplicate version throws). */
export async function insertModel(store: Store, model: NewModel): Promise<ModelRecord> {
  const row = await kyselyOf(store)
    .insertInto('models')
    .values({
      version: model.version,
      status: model.status ?? 'training',
      created_at: now(),
      data_from: model.dataFrom ?? null,
      data_to: model.dataTo ?? null,
      config: JSON.stringify(model.config ?? {}),
      artifact_dir: model.artifactDir ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

/**
 * Updates status/metrics/reason/finish time/artifact dir/config of a model and returns it (an empty
 * update just returns it); throws when the version is unknown.
 */
export async function updateModel(store: Store, version: string, update: ModelUpdate): Promise<ModelRecord> {
  if (Object.values(update).every((v) => v === undefined)) {
    const current = await getModel(store, version);
    if (current === undefined) throw new Error(`unknown model version ${version}`);
    return current;
  }
  const row = await kyselyOf(store)
    .updateTable('models')
    .set({
      ...(update.status !== undefined && { status: update.status }),
      ...(update.metrics !== undefined && { metrics: JSON.stringify(update.metrics) }),
      ...(update.reason !== undefined && { reason: update.reason }),
      ...(update.finishedAt !== undefined && { finished_at: update.finishedAt }),
      ...(update.artifactDir !== undefined && { artifact_dir: update.artifactDir }),
      ...(update.config !== undefined && { config: JSON.stringify(update.config) }),
    })
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) throw new Error(`unknown model version ${version}`);
  return toRecord(row);
}

/** All models, newest first. */
export async function listModels(store: Store): Promise<ModelRecord[]> {
  const rows = await kyselyOf(store).selectFrom('models').selectAll().orderBy('id', 'desc').execute();
  return rows.map(toRecord);
}

/** One model by version, or undefined. */
export async function getModel(store: Store, version: string): Promise<ModelRecord | undefined> {
  const row = await kyselyOf(store).selectFrom('models').selectAll().where('version', '=', version).executeTakeFirst();
  return row === undefined ? undefined : toRecord(row);
}

/** The model being served, or undefined when none is active. */
export async function getActiveModel(store: Store): Promise<ModelRecord | undefined> {
  const row = await kyselyOf(store).selectFrom('models').selectAll().where('status', '=', 'active').executeTakeFirst();
  return row === undefined ? undefined : toRecord(row);
}

/**
 * Makes `version` the one active model, in one transaction: the previously active model
 * becomes `ready` (it can be rolled back to), so there is exactly one active model at
 * every instant (a partial unique index also enforces it). Only `ready` or `retired` models
 * (or the active one itself) can be activated. On PostgreSQL the activation is announced to
 * listening servers when it commits (`notifyActivation`).
 */
export async function activateModel(store: Store, version: string): Promise<ModelRecord> {
  return kyselyOf(store)
    .transaction()
    .execute(async (tx) => {
      await lockForTransaction(store, tx, 'activate-model');
      const target = await tx.selectFrom('models').selectAll().where('version', '=', version).executeTakeFirst();
      if (target === undefined) throw new Error(`unknown model version ${version}`);
      if (target.status === 'active') return toRecord(target);
      if (target.status !== 'ready' && target.status !== 'retired') {
        throw new Error(`model ${version} is ${target.status}, only a ready or retired model can be activated`);
      }
      await tx.updateTable('models').set({ status: 'ready' }).where('status', '=', 'active').execute();
      const row = await tx.updateTable('models').set({ status: 'active' }).where('version', '=', version).returningAll().executeTakeFirstOrThrow();
      await tx.insertInto('model_activations').values({ version, activated_at: now() }).execute();
      await notifyActivation(store, tx, version);
      return toRecord(row);
    });
}
