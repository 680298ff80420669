import { describe, expect, it } from 'vitest';
import { EmbedBatcher } from '../../src/serve/embed-batcher.js';

/** A 2-d "tower": row p is (q, −q) for query q; it records the batch sizes it was called with. */
function doubling(): { embedMany: (qs: readonly number[]) => Float32Array; batches: number[] } {
  const batches: number[] = [];
  return { batches, embedMany: (qs) => (batches.push(qs.length), Float32Array.from(qs.flatMap((q) => [q, -q]))) };
}

describe('EmbedBatcher', () => {
  it('computes the embeddings asked for in one turn in one batch, each caller getting its own row', async () => {
    const tower = doubling();
    const batcher = new EmbedBatcher(tower.embedMany);
    const rows = await Promise.all([1, 2, 3].map((q) => batcher.embed(q)));
    expect(rows.map((r) => [...r])).toEqual([
      [1, -1],
      [2, -2],
      [3, -3],
    ]);
    expect([...(await batcher.embed(4))]).toEqual([4, -4]);
    expect(tower.batches).toEqual([3, 1]);
  });

  it('rejects every caller of a batch whose pass throws, and recovers for the next', async () => {
    let fail = true;
    const batcher = new EmbedBatcher((qs: readonly number[]) => {
      if (fail) throw new Error('tower disposed');
      return new Float32Array(qs.length);
    });
    const asked = [batcher.embed(1), batcher.embed(2)];
    await expect(Promise.all(asked)).rejects.toThrow('tower disposed');
    await expect(asked[1]).rejects.toThrow('tower disposed');
    fail = false;
    expect(await batcher.embed(3)).toHaveLength(1);
  });
});
