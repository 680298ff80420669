/**
 * Gathers the embeddings asked for during one turn of the event loop and computes them in one
 * batch when it ends (`setImmediate`): a tower's forward pass costs about as much for a few rows
 * as for one, so under load the requests that miss the cache at once share one pass.
 */
export class EmbedBatcher<Q> {
  private queued: { query: Q; resolve: (v: Float32Array) => void; reject: (e: unknown) => void }[] = [];

  /** `embedMany(queries)` answers `[queries.length, dim]` row-major, row p for `queries[p]`. */
  constructor(private readonly embedMany: (queries: readonly Q[]) => Float32Array) {}

  /** The embedding of `query`, computed with the others asked for in this turn. */
  embed(query: Q): Promise<Float32Array> {
    return new Promise((resolve, reject) => {
      if (this.queued.length === 0) setImmediate(() => this.flush());
      this.queued.push({ query, resolve, reject });
    });
  }

  private flush(): void {
    const batch = this.queued;
    this.queued = [];
    try {
      const vectors = this.embedMany(batch.map((b) => b.query));
      const dim = vectors.length / batch.length;
      batch.forEach((b, k) => b.resolve(vectors.slice(k * dim, (k + 1) * dim)));
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  }
}
