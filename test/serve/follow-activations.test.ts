import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { LISTENER_APPLICATION_NAME } from '../../src/store/activation-notices.js';
import { followActivations } from '../../src/serve/follow-activations.js';
import type { Logger } from '../../src/serve/logger.js';
import { activateModel, insertModel, listenForActivations, openStore, type Store } from '../../src/store/index.js';
import { kyselyOf } from '../../src/store/store.js';
import { tmpDir } from '../ingest/helpers.js';
import { skipWithoutPostgres, usePostgresServer } from '../postgres-server.js';

async function waitFor(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Ends the listeners' connections from the server's side, as a restart or a network cut would; returns how many there were. */
async function terminateListeners(store: Store): Promise<number> {
  const { rows } = await sql<{
    pid: number;
  }>`select pg_terminate_backend(pid) as pid from pg_stat_activity where application_name = ${LISTENER_APPLICATION_NAME}`.execute(kyselyOf(store));
  return rows.length;
}

/** The listener connections the server holds. */
async function listeners(store: Store): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::integer as n from pg_stat_activity where application_name = ${LISTENER_APPLICATION_NAME}`.execute(
    kyselyOf(store),
  );
  return rows[0].n;
}

describe('activation notices on SQLite', () => {
  it('are not listened for: serving polls', async () => {
    const store = await openStore(path.join(tmpDir(), 'c.db'));
    expect(await listenForActivations(store, () => {})).toBeUndefined();
    await store.close();
  });
});

describe.skipIf(skipWithoutPostgres())('activation notices on PostgreSQL', () => {
  const freshDb = usePostgresServer();
  let stores: Store[] = [];
  const open = async (url: string): Promise<Store> => {
    const store = await openStore(url);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    stores = [];
  });

  it('reach a listener on another connection when the activation commits, with its version', async () => {
    const url = await freshDb();
    const [trainer, replica] = [await open(url), await open(url)];
    const heard: string[] = [];
    const listener = (await listenForActivations(replica, (v) => heard.push(v)))!;
    for (const v of ['v1', 'v2']) await insertModel(trainer, { version: v, status: 'ready' });
    await activateModel(trainer, 'v1');
    await activateModel(trainer, 'v2');
    await activateModel(trainer, 'v2'); // already active: nothing changes, nothing announced
    await waitFor('two notices', () => heard.length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toEqual(['v1', 'v2']);
    await listener.close();
  });

  it('are followed across a dropped connection: logged, reconnected with backoff, and a check made once back', async () => {
    const url = await freshDb();
    const [trainer, replica] = [await open(url), await open(url)];
    let checks = 0;
    const logged: string[] = [];
    const log: Logger = (e) => void logged.push(e.msg);
    const stop = followActivations(replica, () => void checks++, log, { firstMs: 50, maxMs: 200 });
    // Once listening it checks: what was activated before is picked up.
    await waitFor('the first check', () => checks === 1);
    expect(await listeners(trainer)).toBe(1);
    await insertModel(trainer, { version: 'v1', status: 'ready' });
    await activateModel(trainer, 'v1');
    await waitFor('the check of the activation', () => checks === 2);

    expect(await terminateListeners(trainer)).toBe(1);
    await waitFor('the reconnection', () => logged.includes('listening for model activations again'));
    expect(logged).toContain('lost the connection that listens for model activations; reconnecting');
    expect(checks).toBe(3); // and again once back: activations while it was away are picked up

    await insertModel(trainer, { version: 'v2', status: 'ready' });
    await activateModel(trainer, 'v2');
    await waitFor('the check after reconnecting', () => checks === 4);
    await stop();
    await waitFor('the listener to go', async () => (await listeners(trainer)) === 0);
  });
});
