import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { UserError } from '../common/user-error.js';
import { acquireLease, failAbandonedModels, releaseLease, renewLease, type Lease, type Store } from '../store/index.js';

/** Name of the lease row every retrain takes. */
export const RETRAIN_LEASE = 'retrain';

/** Exit code of a retrain refused because another one holds the lease. */
export const RETRAIN_BUSY_EXIT_CODE = 3;

/** A held retrain lease: renew it while working, release it at the end. */
export interface HeldLease {
  readonly lease: Lease;
  /** Models the dead previous holder left `training`, now marked failed. */
  readonly abandoned: readonly string[];
  /**
   * Renews the lease if a third of its TTL has passed. Synchronous, so that it works inside the
   * training loop: the renewal runs in the background and its outcome is checked at the next
   * heartbeat, which throws when the lease was lost.
   */
  heartbeat(): void;
  release(): Promise<void>;
}

/** True when `pid` is no process on this machine (signal 0 probes without signalling; EPERM = exists). */
function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const iso = (unixSeconds: number): string => new Date(unixSeconds * 1000).toISOString();

/**
 * Takes the database-wide retrain lease, so that two retrains never overlap, whichever processes
 * or machines they run on. A holder is gone when its lease expired (no heartbeat for the TTL) or,
 * on this host, when its pid no longer exists (a `kill -9`ed retrain is taken over at once); the
 * models it left `training` are marked failed with the reason. A live holder makes this throw a
 * `UserError` (exit code 3): "a retrain is in progress (pid N on HOST since ISO)".
 */
export async function holdRetrainLease(store: Store, ttlSeconds: number): Promise<HeldLease> {
  const host = hostname();
  const owner = randomUUID();
  const isGone = (holder: Lease): boolean => holder.host === host && holder.pid !== process.pid && processIsGone(holder.pid);
  const got = await acquireLease(store, { name: RETRAIN_LEASE, owner, pid: process.pid, host, ttlSeconds }, isGone);
  if (!got.acquired) {
    const h = got.holder;
    throw new UserError(
      `a retrain is in progress (pid ${h.pid} on ${h.host} since ${iso(h.acquiredAt)}; lease expires ${iso(h.expiresAt)} unless renewed)`,
      RETRAIN_BUSY_EXIT_CODE,
    );
  }
  const previous = got.replaced;
  const abandoned =
    previous === undefined
      ? []
      : await failAbandonedModels(
          store,
          previous.acquiredAt,
          `abandoned: the retrain process (pid ${previous.pid} on ${previous.host}) stopped before finishing`,
        );
  let renewedAt = Date.now();
  let lost: Error | undefined;
  let renewal: Promise<void> = Promise.resolve();
  return {
    lease: got.lease,
    abandoned,
    heartbeat() {
      if (lost !== undefined) throw lost;
      if (Date.now() - renewedAt < (ttlSeconds * 1000) / 3) return;
      renewedAt = Date.now();
      renewal = renewLease(store, RETRAIN_LEASE, owner, ttlSeconds).then(
        (held) => void (held || (lost = new Error('the retrain lease was lost (taken over after expiring): stopping this retrain'))),
        (err: unknown) => void (lost = new Error(`the retrain lease could not be renewed: ${String(err)}`)),
      );
    },
    async release() {
      await renewal;
      await releaseLease(store, RETRAIN_LEASE, owner);
    },
  };
}
