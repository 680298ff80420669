import { isDatabaseUnreachable } from '../store/index.js';
import type { Logger } from './logger.js';

/**
 * Whether the store's database is reachable, as the background work (the registry's watch, live
 * serving's change checks) last found it, and the log of its outages: one event when the first
 * read fails because the server cannot be reached, one when a read succeeds again, whatever the
 * number of polls in between. Meanwhile the served version keeps answering from memory and the
 * writes answer 503 (`toHttpError`).
 */
export class StoreOutage {
  #since: number | undefined;

  constructor(private readonly log: Logger) {}

  /** True from a failed read that could not reach the database until the next successful one. */
  get unreachable(): boolean {
    return this.#since !== undefined;
  }

  /**
   * Reports a failed read of background work `during`: true when it failed because the database
   * is unreachable (logged at the outage's start only); false for any other error, which the
   * caller reports itself.
   */
  failed(err: unknown, during: string): boolean {
    if (!isDatabaseUnreachable(err)) return false;
    if (this.#since === undefined) {
      this.#since = Date.now();
      this.log({
        level: 'warn',
        msg: 'the database is unreachable: answering reads from memory, writes answer 503 until it is back',
        during,
        error: err instanceof Error ? err.message : String(err),
      });
    }
    return true;
  }

  /** Reports a successful read: ends an outage, with how long it lasted. */
  reached(): void {
    if (this.#since === undefined) return;
    this.log({ level: 'info', msg: 'the database is reachable again', unreachableMs: Date.now() - this.#since });
    this.#since = undefined;
  }
}
