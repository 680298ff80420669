import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initialSchema from '../../migrations/0001-initial-schema.js';
import * as retrainLease from '../../migrations/0002-retrain-lease.js';
import * as liveServingIndexes from '../../migrations/0003-live-serving-indexes.js';
import * as artifactFiles from '../../migrations/0004-artifact-files.js';
import * as idempotencyKeys from '../../migrations/0005-idempotency-keys.js';
import type { Database } from './database.js';

/**
 * Every migration, by name, in order. Listed statically rather than globbed from disk,
 * because the compiled layout under `dist/` differs from the source tree.
 */
const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial-schema': initialSchema,
  '0002-retrain-lease': retrainLease,
  '0003-live-serving-indexes': liveServingIndexes,
  '0004-artifact-files': artifactFiles,
  '0005-idempotency-keys': idempotencyKeys,
};

const staticProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};

/** A migrator over every migration (the tests also run them down with it). */
export function migratorOf(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: staticProvider });
}

/**
 * Brings the database to the latest schema. Kysely returns a result set instead of
 * throwing; it is checked here, so a failed migration stops the command with the
 * migration's name and cause instead of leaving a half-migrated file unnoticed.
 * Returns the names of the migrations applied now (empty when already up to date).
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const { error, results } = await migratorOf(db).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
