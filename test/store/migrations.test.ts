import { NO_MIGRATIONS, sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { countRows, integrityCheck, openStore, type Store } from '../../src/store/index.js';
import { migrateToLatest, migratorOf } from '../../src/store/migrate.js';
import { kyselyOf } from '../../src/store/store.js';
import { describeEachDialect } from './store-dialects.js';

const ALL = ['0001-initial-schema', '0002-retrain-lease', '0003-live-serving-indexes', '0004-artifact-files', '0005-idempotency-keys'];
const TABLES = [
  'feature_fields',
  'idempotency_keys',
  'ingest_batches',
  'interactions',
  'items',
  'leases',
  'model_activations',
  'model_artifact_chunks',
  'model_artifact_files',
  'models',
  'rejected_rows',
  'users',
];

describeEachDialect('migrations', (freshDb, dialect) => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(await freshDb());
  });
  afterEach(() => store.close());

  /** The tables the database holds besides kysely's own bookkeeping. */
  const tables = async (): Promise<string[]> => {
    const names = (await kyselyOf(store).introspection.getTables()).map((t) => t.name);
    return names.filter((n) => !n.startsWith('kysely_')).sort();
  };

  it('go up on a new database, are a no-op the second time, and leave a sound, empty schema', async () => {
    expect(store.appliedMigrations).toEqual(ALL);
    expect(await tables()).toEqual(TABLES);
    expect(await countRows(store)).toEqual({ users: 0, items: 0, interactions: 0, rejected_rows: 0, ingest_batches: 0 });
    expect(await integrityCheck(store)).toEqual([]);
    const again = await openStore(store.path);
    expect(again.appliedMigrations).toEqual([]);
    await again.close();
  });

  it('go down one by one to nothing, and up again', async () => {
    const migrator = migratorOf(kyselyOf(store));
    const stepDown = async (name: string): Promise<void> => {
      const down = await migrator.migrateDown();
      expect(down.error).toBeUndefined();
      expect(down.results?.map((r) => [r.migrationName, r.direction, r.status])).toEqual([[name, 'Down', 'Success']]);
    };
    await stepDown('0005-idempotency-keys');
    const withoutKeys = TABLES.filter((t) => t !== 'idempotency_keys');
    expect(await tables()).toEqual(withoutKeys);
    await stepDown('0004-artifact-files');
    const withoutArtifacts = withoutKeys.filter((t) => !t.startsWith('model_artifact_'));
    expect(await tables()).toEqual(withoutArtifacts);
    await stepDown('0003-live-serving-indexes');
    expect(await tables()).toEqual(withoutArtifacts);
    await stepDown('0002-retrain-lease');
    expect(await tables()).toEqual(withoutArtifacts.filter((t) => t !== 'leases' && t !== 'model_activations'));
    const none = await migrator.migrateTo(NO_MIGRATIONS);
    expect(none.error).toBeUndefined();
    expect(await tables()).toEqual([]);
    expect(await migrateToLatest(kyselyOf(store))).toEqual(ALL);
    expect(await tables()).toEqual(TABLES);
  });

  it('number new rows from 1 and keep the untimed key, the smallest safe integer, exactly', async () => {
    const db = kyselyOf(store);
    const ids = await db
      .insertInto('users')
      .values([
        { external_id: 'u1', created_at: 0 },
        { external_id: 'u2', created_at: 0 },
      ])
      .returning('id')
      .execute();
    expect(ids.map((r) => r.id)).toEqual([1, 2]);
    await db.insertInto('items').values({ external_id: 'i1', created_at: 0 }).execute();
    await db.insertInto('interactions').values({ user_id: 1, item_id: 1, ts: -Number.MAX_SAFE_INTEGER, weight: 0.1 }).execute();
    const [row] = await db.selectFrom('interactions').select(['ts', 'weight']).execute();
    // A double on both: SQLite's real and PostgreSQL's double precision, never a 4-byte float.
    expect(row).toEqual({ ts: -Number.MAX_SAFE_INTEGER, weight: 0.1 });
  });

  it('enforce foreign keys (on PostgreSQL an interaction refers by plain columns, which integrityCheck checks)', async () => {
    const db = kyselyOf(store);
    const reject = sql`insert into rejected_rows (batch_id, file, line, raw, reason) values (99, 'f', 1, '', 'r')`.execute(db);
    await expect(reject).rejects.toThrow(dialect === 'sqlite' ? 'FOREIGN KEY constraint failed' : 'violates foreign key constraint');
    const orphan = sql`insert into interactions (user_id, item_id, ts) values (99, 98, 1)`.execute(db);
    if (dialect === 'sqlite') await expect(orphan).rejects.toThrow('FOREIGN KEY constraint failed');
    else {
      await orphan;
      expect(await integrityCheck(store)).toEqual(['foreign key: interactions row (1, 99, 98) → users']);
    }
  });
});
