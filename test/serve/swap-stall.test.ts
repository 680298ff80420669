import { rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateModel, openStore, type Store } from '../../src/store/index.js';
import {
  activeModelOfStore,
  loadModelSnapshot,
  ModelRegistry,
  snapshotWorkerAvailable,
  startServer,
  type Logger,
  type ModelSnapshot,
  type RunningServer,
  type SnapshotLoadStats,
} from '../../src/serve/index.js';
import { addModel, expectedTopK, getJson, tempDir, vectorOf, type TestModel } from './serve-fixture.js';

// Big enough that reading a version takes long against one request (hundreds of ms against ~1).
const ITEMS = 20_000;

/** The garbage collector, without --expose-gc on the command line. */
function exposedGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

describe('a model swap does not stall the service', () => {
  let dir: string;
  let dbPath: string;
  let store: Store;
  let running: RunningServer;
  const versions = new Map<string, TestModel>();
  const logged: Parameters<Logger>[0][] = [];

  beforeAll(async () => {
    dir = await tempDir();
    dbPath = path.join(dir, 'contrarec.db');
    store = await openStore(dbPath);
    versions.set('v1', await addModel(store, dbPath, 'v1', 1, true, ITEMS));
    versions.set('v2', await addModel(store, dbPath, 'v2', 2, false, ITEMS));
    running = await startServer({ host: '127.0.0.1', port: 0, dbPath, watchIntervalMs: 20, releaseGraceMs: 0, log: (e) => logged.push(e) });
  }, 180_000); // two HNSW builds of 20,000 items: a minute on a loaded 2-core machine
  afterAll(async () => {
    await running?.close();
    store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prepares the next version on a worker thread (npm test builds it first)', () => {
    expect(snapshotWorkerAvailable()).toBe(true);
    expect(running.models.current()?.loadStats.preparedOn).toBe('worker');
  });

  it('keeps answering while a swap loads, and switches every answer at one moment', async () => {
    const probes: { sent: number; received: number; model: string; path: string; ids: string[] }[] = [];
    let stop = false;
    // One request at a time: each one's latency is how long the server left it waiting.
    const probe = async (): Promise<void> => {
      for (let n = 0; !stop; n++) {
        const p = n % 2 === 0 ? `/v1/items/i${(n * 37) % ITEMS}/similar?k=5` : `/v1/users/u${n % 5}/recommendations?k=5`;
        const sent = performance.now();
        const { status, body } = await getJson(`${running.url}${p}`);
        expect(status).toBe(200);
        probes.push({ sent, received: performance.now(), model: body.model, path: p, ids: body.items.map((h: { id: string }) => h.id) });
      }
    };
    const probing = probe();
    while (probes.length < 20) await new Promise((r) => setTimeout(r, 5));
    const swapStarted = performance.now();
    await activateModel(store, 'v2');
    while (!logged.some((e) => e.msg === 'serving model' && e.version === 'v2')) await new Promise((r) => setTimeout(r, 5));
    const swapEnded = performance.now();
    const afterSwap = probes.length;
    while (probes.length < afterSwap + 20) await new Promise((r) => setTimeout(r, 5));
    stop = true;
    await probing;

    const stats = logged.find((e) => e.msg === 'serving model' && e.version === 'v2')!['load'] as SnapshotLoadStats;
    expect(stats.preparedOn).toBe('worker');
    // Relative, not absolute: the slowest probe during the swap against how long the load took.
    // Loading on the serving thread (as before) held every probe for about the whole load.
    const during = probes.filter((p) => p.received >= swapStarted && p.sent <= swapEnded);
    const slowest = Math.max(...during.map((p) => p.received - p.sent));
    console.log(`swap: ${JSON.stringify(stats)}; ${during.length} probes during it, slowest ${slowest.toFixed(1)} ms`);
    expect(during.length, `probes answered during a ${stats.totalMs} ms load`).toBeGreaterThan(5);
    expect(slowest, `slowest probe during a ${stats.totalMs} ms load (longest block ${stats.longestBlockMs} ms)`).toBeLessThan(stats.totalMs / 3);
    expect(stats.longestBlockMs).toBeLessThan(stats.totalMs / 3);

    // Atomic: v1 until some answer, v2 from then on, and each answer wholly from its version.
    const models = probes.map((p) => p.model);
    const firstV2 = models.indexOf('v2');
    expect(firstV2).toBeGreaterThan(0);
    expect(models.slice(0, firstV2).every((m) => m === 'v1')).toBe(true);
    expect(models.slice(firstV2).every((m) => m === 'v2')).toBe(true);
    for (const p of probes) {
      const m = versions.get(p.model)!;
      const item = /^\/v1\/items\/(i\d+)\//.exec(p.path)?.[1];
      const expected = item ? expectedTopK(m, vectorOf(m.items, item), 5, (id) => id === item) : expectedTopK(m, vectorOf(m.users, /u\d+/.exec(p.path)![0]), 5);
      // HNSW is approximate: most of the top 5 must match the version it claims (another version's shares about none).
      const overlap = p.ids.filter((id) => expected.some((e) => e.id === id)).length;
      expect(overlap, `${p.path} answered by ${p.model}`).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('a replaced version is released', () => {
  it('disposes the old snapshot after the grace period and lets the garbage collector take it', async () => {
    const gc = exposedGc();
    const dir = await tempDir();
    const dbPath = path.join(dir, 'contrarec.db');
    const store = await openStore(dbPath);
    try {
      await addModel(store, dbPath, 'v1', 1, true, 500);
      await addModel(store, dbPath, 'v2', 2, false, 500);
      const registry = new ModelRegistry(
        (ref) => loadModelSnapshot(ref, { dbPath }),
        activeModelOfStore(store),
        () => {},
        0,
      );
      await registry.sync();
      let old: ModelSnapshot | undefined = registry.current()!;
      const oldIndex = old.index;
      let finalised: (held: string) => void = () => {};
      const collected = new Promise<string>((resolve) => (finalised = resolve));
      // Kept in a variable: a finalization registry that is itself collected calls nothing.
      const finalization = new FinalizationRegistry<string>((held) => finalised(held));
      finalization.register(old, 'v1');
      const ref = new WeakRef(old);
      const vector = old.items.vectorOf('i0')!;
      expect(old.index.search(vector, 3)).toHaveLength(3);
      old = undefined;

      await activateModel(store, 'v2');
      expect(await registry.sync()).toBe(true);
      expect(registry.current()?.version).toBe('v2');
      await new Promise((r) => setTimeout(r, 20));
      // Disposed: the HNSW graph's native memory is freed at once, not when the collector gets to it.
      expect(() => oldIndex.search(vector, 3)).toThrow(/released/);
      // deref() keeps its target alive until the current job ends: collect only in a later one.
      let alive = true;
      for (let i = 0; i < 10 && alive; i++) {
        await new Promise((r) => setTimeout(r, 10));
        gc();
        await new Promise((r) => setTimeout(r, 10));
        alive = ref.deref() !== undefined;
      }
      expect(alive, 'the replaced snapshot is still reachable').toBe(false);
      expect(await Promise.race([collected, new Promise((r) => setTimeout(() => r('not finalised'), 2000))])).toBe('v1');
      expect(finalization).toBeInstanceOf(FinalizationRegistry);
    } finally {
      store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
