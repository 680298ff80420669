import { kyselyOf, type Store } from './store.js';

/** One activation of a model version (see `activateModel`), oldest first by `seq`. */
export interface ModelActivation {
  readonly seq: number;
  readonly version: string;
  /** Unix seconds. */
  readonly activatedAt: number;
}

/** Every activation, newest first: the history `models rollback` walks back through. */
export async function listActivations(store: Store): Promise<ModelActivation[]> {
  const rows = await kyselyOf(store).selectFrom('model_activations').selectAll().orderBy('id', 'desc').execute();
  return rows.map((r) => ({ seq: r.id, version: r.version, activatedAt: r.activated_at }));
}

/**
 * Marks as `failed`, with `reason`, what a process that died left behind: the models registered
 * at or after `since` (unix seconds) that are still `training`, or `ready` but never activated
 * (trained, not yet through the gate). Returns their versions.
 */
export async function failAbandonedModels(store: Store, since: number, reason: string): Promise<string[]> {
  const db = kyselyOf(store);
  const rows = await db
    .updateTable('models')
    .set({ status: 'failed', reason, finished_at: Math.floor(Date.now() / 1000) })
    .where('created_at', '>=', since)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'training'),
        eb.and([eb('status', '=', 'ready'), eb('version', 'not in', db.selectFrom('model_activations').select('version'))]),
      ]),
    )
    .returning('version')
    .execute();
  return rows.map((r) => r.version);
}
