import { describe, expect, it } from 'vitest';
import { runApiBatch } from '../../src/store/batches.js';
import { isDatabaseUnreachable, listBatches, openStore, readInteractionWatermark, type IngestBatch, type Store } from '../../src/store/index.js';
import { skipWithoutPostgres, usePostgresServerHandle } from '../postgres-server.js';

/** The batch `id` once its status is no longer `running`, polled for at most 20 s. */
async function settled(store: Store, id: number): Promise<IngestBatch> {
  const end = Date.now() + 20_000;
  for (;;) {
    // A connection the restart dropped fails its first query, as unreachable; the next one reconnects.
    const batches = await listBatches(store).catch((err: unknown) => (isDatabaseUnreachable(err) ? [] : Promise.reject(err)));
    const batch = batches.find((b) => b.id === id);
    if (batch !== undefined && batch.status !== 'running') return batch;
    if (Date.now() > end) throw new Error(`batch ${id} is still ${batch?.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// An API write whose batch record was started, then the server went away before its end was
// recorded: the end is recorded once the server is back, so no batch stays `running` and holds
// every replica's change watermark back.
describe.skipIf(skipWithoutPostgres())('an API batch cut by a PostgreSQL restart', () => {
  const server = usePostgresServerHandle();

  it('is recorded failed, or complete, once the server is back, and the watermark passes it', async () => {
    const store = await openStore(await server().createDatabase());
    try {
      for (const outcome of ['failed', 'complete'] as const) {
        let batchId = -1;
        const cut = runApiBatch(store, 'interactions', 'api', async (id) => {
          batchId = id;
          await server().halt();
          if (outcome === 'failed') throw new Error('the write failed');
          return { counts: { rowsRead: 1, rowsInserted: 1, duplicates: 0, rejected: 0 }, result: id };
        });
        const err = await cut.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isDatabaseUnreachable(err), String(err)).toBe(true);
        await server().restart();
        expect(await settled(store, batchId)).toMatchObject({ status: outcome, rowsInserted: outcome === 'complete' ? 1 : 0 });
        expect(await readInteractionWatermark(store)).toBe(batchId);
      }
    } finally {
      await store.close();
    }
  }, 120_000);
});
