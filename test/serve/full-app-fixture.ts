import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ingestInteractionRows } from '../../src/ingest/ingest-rows.js';
import { activeModelOfStore, answerClientErrors, createApp, loadModelSnapshot, ModelRegistry, type AppDeps } from '../../src/serve/index.js';
import { consoleDataFromStore } from '../../src/serve/routes/console-data.js';
import { listModels, markItemDeleted, openStore, type Store } from '../../src/store/index.js';
import { ingestItemRows } from '../../src/ingest/ingest-item-rows.js';
import { ingest, writeInput } from '../ingest/helpers.js';
import { addModel, DIM, tempDir } from './serve-fixture.js';

export const ADMIN_TOKEN = 'admin';
export const READ_TOKEN = 'read';

/** A server with every feature on, on 127.0.0.1, and how to stop it. */
export interface FullApp {
  readonly base: string;
  readonly store: Store;
  close(): Promise<void>;
}

/** Every feature of the app on `store`: registry listing, writes, the console, both tokens. */
export function fullAppDeps(store: Store, models: ModelRegistry): AppDeps {
  return {
    models,
    listModels: async () =>
      (await listModels(store)).map((m) => ({ version: m.version, status: m.status, createdAt: '', finishedAt: null, metrics: m.metrics })),
    ingestInteractions: (rows, claim) => ingestInteractionRows(store, rows, { source: 'api', idempotency: claim }),
    writeItems: async (items) => ingestItemRows(store, items, { source: 'api' }),
    deleteItem: async (id) => markItemDeleted(store, id),
    adminToken: ADMIN_TOKEN,
    console: { data: consoleDataFromStore(store), readToken: READ_TOKEN },
    log: () => {},
  };
}

/**
 * Serves the whole route table the way `contrarec serve --db` does, with both tokens set: a
 * registered model (items i0…, users u0…), a catalogue of three items, u0's history, and a
 * stand-in user tower (the test model has none), so that every route can answer 200.
 */
export async function startFullApp(): Promise<FullApp> {
  const dir = await tempDir();
  const dbPath = path.join(dir, 'contrarec.db');
  const store = await openStore(dbPath);
  await addModel(store, dbPath, 'v1', 1, true);
  await ingest(store, 'items', [writeInput(dir, 'items.csv', 'item,title,tags\ni1,One,a|b\ni2,Two,c\ni3,Three,\n')]);
  await ingestInteractionRows(
    store,
    [
      { user: 'u0', item: 'i1', ts: 1_700_000_000 },
      { user: 'u0', item: 'i2' },
    ],
    { source: 'test' },
  );
  const models = new ModelRegistry(
    async (ref) => ({ ...(await loadModelSnapshot(ref, { dbPath })), embedUser: () => new Float32Array(DIM).fill(0.25) }),
    activeModelOfStore(store),
    () => {},
  );
  await models.sync();
  const app = createApp(fullAppDeps(store, models));
  const server = createServer(app).listen(0, '127.0.0.1');
  answerClientErrors(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    store,
    async close() {
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
      store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
