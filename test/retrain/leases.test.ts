import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdRetrainLease } from '../../src/retrain/retrain-lease.js';
import { describeEachDialect } from '../store/store-dialects.js';
import { acquireLease, insertModel, listModels, openStore, readLease, releaseLease, renewLease, type Store } from '../../src/store/index.js';

const req = (owner: string, pid = 1000) => ({ name: 'job', owner, pid, host: 'h1', ttlSeconds: 60 });

describeEachDialect('leases', (freshDb, dialect) => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(await freshDb());
  });
  afterEach(async () => {
    await store.close();
  });

  // Two pools in one process stand for two machines. (Two SQLite connections in one thread
  // cannot race: the second's busy wait blocks the thread the first needs to commit; across
  // processes its `begin immediate` serialises them, see test/store/write-transactions.test.ts.)
  if (dialect === 'postgres')
    it('of two connections asking at once (two machines), exactly one gets it', async () => {
      const other = await openStore(store.path);
      try {
        for (let round = 0; round < 5; round++) {
          const name = `race-${round}`;
          const asks = await Promise.all([store, other].map((s, k) => acquireLease(s, { ...req(`owner-${k}`), name }, () => false, 100)));
          expect(asks.filter((a) => a.acquired)).toHaveLength(1);
        }
      } finally {
        await other.close();
      }
    });

  describe('acquireLease / renewLease / releaseLease', () => {
    it('one holder at a time; the second sees who holds it', async () => {
      expect(await acquireLease(store, req('a'), () => false, 100)).toMatchObject({ acquired: true, replaced: undefined });
      const second = await acquireLease(store, req('b', 2000), () => false, 110);
      expect(second).toEqual({
        acquired: false,
        holder: { name: 'job', owner: 'a', pid: 1000, host: 'h1', acquiredAt: 100, heartbeatAt: 100, expiresAt: 160 },
      });
      expect(await releaseLease(store, 'job', 'b')).toBe(false);
      expect(await releaseLease(store, 'job', 'a')).toBe(true);
      expect(await acquireLease(store, req('b', 2000), () => false, 120)).toMatchObject({ acquired: true, replaced: undefined });
    });

    it('an expired lease is taken over and reported; a renewed one is not', async () => {
      await acquireLease(store, req('a'), () => false, 100);
      expect(await renewLease(store, 'job', 'a', 60, 150)).toBe(true); // now expires at 210
      expect((await acquireLease(store, req('b'), () => false, 200)).acquired).toBe(false);
      const taken = await acquireLease(store, req('b'), () => false, 210);
      expect(taken).toMatchObject({ acquired: true, replaced: { owner: 'a', expiresAt: 210 } });
      expect(await renewLease(store, 'job', 'a', 60, 211)).toBe(false); // a lost it
      expect((await readLease(store, 'job'))?.owner).toBe('b');
    });

    it('a holder the caller knows to be gone is replaced before its expiry', async () => {
      await acquireLease(store, req('a', 1234), () => false, 100);
      expect(await acquireLease(store, req('b'), (h) => h.pid === 1234, 101)).toMatchObject({ acquired: true, replaced: { pid: 1234 } });
    });
  });

  describe('holdRetrainLease', () => {
    it('refuses while a live process holds it, naming its pid and start time', async () => {
      const held = await holdRetrainLease(store, 300);
      const other = await openStore(store.path);
      try {
        // The same process asks again with another owner token: its pid is alive, so it is refused.
        const since = new Date(held.lease.acquiredAt * 1000).toISOString();
        await expect(holdRetrainLease(other, 300)).rejects.toThrow(`a retrain is in progress (pid ${process.pid} on ${hostname()} since ${since};`);
      } finally {
        other.close();
        await held.release();
      }
      await (await holdRetrainLease(store, 300)).release();
    });

    it('takes over from a dead process on this host at once and fails the models it left training', async () => {
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      const deadPid = Number(dead.stdout);
      const now = Math.floor(Date.now() / 1000);
      await acquireLease(store, { name: 'retrain', owner: 'ghost', pid: deadPid, host: hostname(), ttlSeconds: 3600 }, () => false, now - 5);
      await insertModel(store, { version: 'v-left-training' });
      const held = await holdRetrainLease(store, 300);
      expect(held.abandoned).toEqual(['v-left-training']);
      const m = (await listModels(store)).find((x) => x.version === 'v-left-training')!;
      expect(m.status).toBe('failed');
      expect(m.reason).toBe(`abandoned: the retrain process (pid ${deadPid} on ${hostname()}) stopped before finishing`);
      await held.release();
    });
  });
});
