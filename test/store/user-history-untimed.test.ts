import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApp, ModelRegistry } from '../../src/serve/index.js';
import { consoleDataFromStore } from '../../src/serve/routes/console-data.js';
import { openStore, type Store } from '../../src/store/index.js';
import { ingest, tmpDir, writeInput } from '../ingest/helpers.js';
import { describeEachDialect } from './store-dialects.js';

describeEachDialect('a user history with untimed interactions', (freshDb) => {
  let store: Store;
  beforeEach(async () => {
    const dir = tmpDir();
    store = await openStore(await freshDb());
    await ingest(store, 'interactions', [writeInput(dir, 't.csv', 'user,item,ts\nu1,i1,86400\n')]);
    await ingest(store, 'interactions', [writeInput(dir, 'n.csv', 'user,item\nu1,i2\n')]);
  });
  afterEach(() => store.close());

  it('GET /console/api/users/:id gives `at: null` for the untimed one, listed after the timed', async () => {
    // No model loaded: the route still answers from the store.
    const models = new ModelRegistry(
      () => Promise.reject(new Error('no model in this test')),
      () => Promise.resolve(undefined),
      () => {},
    );
    const server = createServer(createApp({ models, console: { data: consoleDataFromStore(store) }, log: () => {} })).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    try {
      const { port } = server.address() as AddressInfo;
      const body = (await (await fetch(`http://127.0.0.1:${port}/console/api/users/u1`)).json()) as { recent: { item: { id: string }; at: string | null }[] };
      expect(body.recent.map((r) => [r.item.id, r.at])).toEqual([
        ['i1', '1970-01-02T00:00:00.000Z'],
        ['i2', null],
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
