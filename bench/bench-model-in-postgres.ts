/**
 * The bench model of `bench:serve` in a PostgreSQL database, as a trainer leaves it: registered,
 * its artifact (with the HNSW index) stored in the database, and active, so that a replica
 * started with only the URL downloads and serves it. Shared by `bench:replica` and `bench:replicas`.
 */
import { publishArtifact } from '../src/model/artifact/publish-artifact.js';
import { activateModel, insertModel, openStore, updateModel } from '../src/store/index.js';

/** The version the bench model is registered as. */
export const BENCH_VERSION = 'bench';

/** Registers the artifact in `dir` as version `bench` of database `db`, stores its files there and activates it. */
export async function storeActiveBenchModel(db: string, dir: string): Promise<void> {
  const store = await openStore(db);
  try {
    await insertModel(store, { version: BENCH_VERSION });
    await publishArtifact(store, BENCH_VERSION, dir);
    await updateModel(store, BENCH_VERSION, { status: 'ready' });
    await activateModel(store, BENCH_VERSION);
  } finally {
    await store.close();
  }
}
