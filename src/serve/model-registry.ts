import type { ModelArtifactRef } from '../index/index.js';
import type { Logger } from './logger.js';
import type { ModelSnapshot } from './model-snapshot.js';
import type { StoreOutage } from './store-outage.js';

/** Loads a version completely (see `loadModelSnapshot`). */
export type SnapshotLoader = (ref: ModelArtifactRef) => Promise<ModelSnapshot>;
/** Says which version should be served now (the registry's active model), or undefined for none. */
export type ActiveModelResolver = () => Promise<ModelArtifactRef | undefined>;

/** How long a replaced version stays usable for the requests that took it before the swap, ms. */
export const RELEASE_GRACE_MS = 2000;

/**
 * Holds the model version being served and swaps it atomically. `current()` is read once per
 * request; `sync()` loads the wanted version in the background (the old one keeps answering;
 * `loadModelSnapshot` does its parsing on a worker thread and yields between the steps it must do
 * here) and only then replaces the reference, so no request ever sees a half-loaded model. The
 * replaced version is disposed `releaseGraceMs` later (its tensors and HNSW graph freed, the
 * rest left to the garbage collector), once the requests that took it have answered. A failed
 * load keeps the old version and is reported in `lastError`. With `outage`, a check that cannot
 * reach the database is reported there (once per outage) instead, and is no load error: the
 * served version stays, and the next check after the outage picks up any promotion missed.
 *
 * @example
 *   const holder = new ModelRegistry(loader, resolver, log);
 *   await holder.sync();                 // at start
 *   const stop = holder.watch(2000);     // follow promotions
 */
export class ModelRegistry {
  private snapshot: ModelSnapshot | undefined;
  private inFlight: Promise<boolean> | undefined;
  /** The message of the last failed load, cleared by the next successful one. */
  lastError: string | undefined;

  constructor(
    private readonly load: SnapshotLoader,
    private readonly resolveActive: ActiveModelResolver,
    private readonly log: Logger,
    private readonly releaseGraceMs = RELEASE_GRACE_MS,
    private readonly outage?: StoreOutage,
  ) {}

  /** The snapshot to answer with, or undefined while no model is loaded. */
  current(): ModelSnapshot | undefined {
    return this.snapshot;
  }

  /**
   * Makes the served version follow the active one: loads it if it differs, then swaps.
   * Concurrent calls share one load. Resolves true when a swap happened.
   */
  sync(): Promise<boolean> {
    this.inFlight ??= this.syncOnce().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async syncOnce(): Promise<boolean> {
    let ref: ModelArtifactRef | undefined;
    try {
      ref = await this.resolveActive();
      this.outage?.reached();
      if (ref === undefined || (ref.version === this.snapshot?.version && ref.artifactDir === this.snapshot.artifactDir)) return false;
      const next = await this.load(ref);
      const previous = this.snapshot;
      this.snapshot = next;
      this.lastError = undefined;
      this.log({
        level: 'info',
        msg: 'serving model',
        version: next.version,
        previous: previous?.version ?? null,
        items: next.index.size,
        load: next.loadStats,
      });
      if (previous !== undefined) setTimeout(() => previous.dispose(), this.releaseGraceMs).unref();
      return true;
    } catch (err) {
      if (this.outage?.failed(err, 'model registry watch')) return false;
      const message = err instanceof Error ? err.message : String(err);
      if (message !== this.lastError)
        this.log({ level: 'error', msg: 'model load failed; still serving the previous version', version: ref?.version ?? null, error: message });
      this.lastError = message;
      return false;
    }
  }

  /** Calls `sync()` every `intervalMs` until the returned function is called. */
  watch(intervalMs: number): () => void {
    const timer = setInterval(() => void this.sync(), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
