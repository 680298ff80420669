import { listenForActivations, type Store } from '../store/index.js';
import type { Logger } from './logger.js';

/** Backoff between the listener's reconnection attempts, ms: the first wait, and the longest. */
export interface ListenerBackoff {
  readonly firstMs: number;
  readonly maxMs: number;
}

const DEFAULT_BACKOFF: ListenerBackoff = { firstMs: 500, maxMs: 30_000 };

/**
 * Calls `check` as soon as the store announces an activation (PostgreSQL's LISTEN/NOTIFY), so
 * that every replica swaps within moments of a promotion instead of at its next poll; the poll
 * (`ModelRegistry.watch`) stays as the fallback. `check` also runs each time the listener is
 * (again) in place, since an activation before that went unheard. A lost connection is logged and
 * made again, with a doubling backoff; serving never stops for it. Does nothing on SQLite.
 * Returns the stop function.
 */
export function followActivations(store: Store, check: () => void, log: Logger, backoff: ListenerBackoff = DEFAULT_BACKOFF): () => Promise<void> {
  let stopped = false;
  let wake: (() => void) | undefined;
  // Resolves after `ms` (never for Infinity), or at once when stopped.
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(resolve, ms) : undefined;
      timer?.unref();
      wake = () => (clearTimeout(timer), resolve());
    });
  const run = async (): Promise<void> => {
    let waitMs = backoff.firstMs;
    let heard = false;
    while (!stopped) {
      let listener;
      try {
        listener = await listenForActivations(store, check);
      } catch (err) {
        log({ level: 'warn', msg: 'cannot listen for model activations; retrying', error: String(err), retryInMs: waitMs });
        await pause(waitMs);
        waitMs = Math.min(waitMs * 2, backoff.maxMs);
        continue;
      }
      if (listener === undefined) return;
      if (stopped) {
        await listener.close();
        return;
      }
      if (heard) log({ level: 'info', msg: 'listening for model activations again' });
      heard = true;
      check();
      waitMs = backoff.firstMs;
      const err = await Promise.race([listener.lost, pause(Infinity).then(() => undefined)]);
      await listener.close();
      if (err === undefined) return;
      log({ level: 'warn', msg: 'lost the connection that listens for model activations; reconnecting', error: err.message, retryInMs: waitMs });
      await pause(waitMs);
    }
  };
  const running = run();
  return async () => {
    stopped = true;
    wake?.();
    await running;
  };
}
