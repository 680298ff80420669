import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLease, getActiveModel, getModel, openStore, releaseLease, type ModelRecord } from '../../src/store/index.js';
import { REPO_ROOT, tmpDir } from '../ingest/helpers.js';
import { skipWithoutPostgres, usePostgresServer } from '../postgres-server.js';
import { serveCli, stopChild, TINY_RETRAIN_FLAGS, type ServeChild } from '../serve/cli-fixture.js';

// Two `serve` replicas, each in an empty folder of its own, and a trainer in a third, sharing
// nothing but one PostgreSQL database, through the built CLI (`npm run build` first; `npm test`
// does). That a replica on an empty folder downloads and serves the active version is
// postgres-replica.test.ts; here the replicas follow a promotion, take writes that the next
// retrain trains on, and outlive each other. Their poll is a minute apart, so only the
// promotion's NOTIFY can make them swap within the test's deadline. The retrain settings are
// TINY_RETRAIN_FLAGS (retrain.test.ts's tiny model), which passes the gate's most-popular floor on this log.
const CLI = path.join(REPO_ROOT, 'dist/src/cli.js');
const TINY = TINY_RETRAIN_FLAGS;
const ADMIN = 'replica-admin';
/** How soon both replicas must answer with a promoted version. */
const SWAP_DEADLINE_MS = 10_000;

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The version a replica answers with. */
async function served(replica: ServeChild): Promise<string> {
  const res = await fetch(`${replica.url}/v1/items/i1/similar?k=3`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(3000) });
  return ((await res.json()) as { model: string }).model;
}

describe.skipIf(skipWithoutPostgres())('two serve replicas and a trainer on one PostgreSQL database', () => {
  const freshDb = usePostgresServer({ password: 'two-replicas-pw' });
  const run = (cwd: string, args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  const ok = (cwd: string, args: string[]): string => {
    const r = run(cwd, args);
    if (r.status !== 0) throw new Error(`contrarec ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  };

  it('follow a retrain from a third process at once, write for it from either replica, and survive each other', async () => {
    const trainer = tmpDir();
    const db = await freshDb();
    ok(trainer, ['generate', '--out', 'log', '--users', '60', '--items', '50', '--interactions', '700', '--seed', '3', '--topics', '4']);
    for (const kind of ['items', 'users', 'interactions']) ok(trainer, ['ingest', kind, path.join('log', `${kind}.csv`), '--db', db]);
    ok(trainer, ['retrain', '--db', db, '--epochs', '2', ...TINY]);
    const store = await openStore(db);
    const replicas: ServeChild[] = [];
    try {
      const first = (await getActiveModel(store))!;
      const watch = ['--db', db, '--watch-ms', '60000'];
      const [a, b] = [
        await serveCli(watch, 1, { CONTRAREC_ADMIN_TOKEN: ADMIN }, tmpDir()),
        await serveCli(watch, 1, { CONTRAREC_ADMIN_TOKEN: ADMIN }, tmpDir()),
      ];
      replicas.push(a, b);
      expect([await served(a), await served(b)]).toEqual([first.version, first.version]);

      const posted = await postToBoth(a, b, first);
      await expectRetrainRefusedWhileLeased(store, () => run(trainer, ['retrain', '--db', db, '--epochs', '1', ...TINY]));

      expect(ok(trainer, ['retrain', '--db', db, '--epochs', '1', '--tolerance', '1', ...TINY])).toMatch(/^retrained \S+: active;/);
      const promoted = (await getActiveModel(store))!;
      expect(promoted.version).not.toBe(first.version);
      const swapStart = Date.now();
      await waitFor(
        'both replicas to answer with the promoted version',
        async () => (await served(a)) === promoted.version && (await served(b)) === promoted.version,
        SWAP_DEADLINE_MS,
      );
      expect(Date.now() - swapStart).toBeLessThan(SWAP_DEADLINE_MS);
      // The retrain trained on what replica A took: its data now ends at the posted rows' time.
      expect((await getModel(store, promoted.version))?.dataTo).toBe(posted);

      b.child.kill('SIGKILL');
      await new Promise((resolve) => b.child.once('exit', resolve));
      // A answers on, and recommends to the user it took the writes of, now in the model.
      expect(await served(a)).toBe(promoted.version);
      const recs = await fetch(`${a.url}/v1/users/replica-user/recommendations?k=3`);
      expect(recs.status).toBe(200);
    } finally {
      await Promise.all(replicas.map((r) => stopChild(r.child)));
      await store.close();
    }
    // Three CLI processes, two trainings and two servers: on a 2-core machine shared with other work this has taken over 120 s.
  }, 240_000);
});

/**
 * Posts two interactions of a new user, later than any the first model saw, to replica A with an
 * idempotency key, then the same request to replica B, as a client retrying elsewhere would:
 * B answers A's answer and writes nothing. Returns the posted rows' time.
 */
async function postToBoth(a: ServeChild, b: ServeChild, first: ModelRecord): Promise<number> {
  const ts = first.dataTo! + 3600;
  const body = JSON.stringify({
    interactions: [
      { user: 'replica-user', item: 'i1', ts },
      { user: 'replica-user', item: 'i2', ts },
    ],
  });
  const post = (replica: ServeChild) =>
    fetch(`${replica.url}/v1/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}`, 'idempotency-key': 'replica-post-1' },
      body,
    });
  const toA = await post(a);
  expect(toA.status).toBe(200);
  expect(await toA.json()).toEqual({ inserted: 2, duplicates: 0, rejected: [] });
  const toB = await post(b);
  expect(toB.headers.get('idempotent-replayed')).toBe('true');
  expect(await toB.json()).toEqual({ inserted: 2, duplicates: 0, rejected: [] });
  return ts;
}

/** A retrain started while another machine holds the retrain lease exits 3 (as postgres-cli.test.ts checks), then the lease is let go. */
async function expectRetrainRefusedWhileLeased(
  store: Awaited<ReturnType<typeof openStore>>,
  retrain: () => { status: number | null; stderr: string },
): Promise<void> {
  const held = await acquireLease(store, { name: 'retrain', owner: 'elsewhere', pid: 1, host: 'another-machine', ttlSeconds: 600 });
  expect(held.acquired).toBe(true);
  const busy = retrain();
  expect(busy.status).toBe(3);
  expect(busy.stderr).toContain('a retrain is in progress (pid 1 on another-machine since');
  expect(await releaseLease(store, 'retrain', 'elsewhere')).toBe(true);
}
