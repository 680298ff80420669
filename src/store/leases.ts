import type { LeaseTable as LeaseRow } from './lease-tables.js';
import { sqliteOf, type Store } from './store.js';

/** A lease as stored: who holds the job `name`, since when, and until when unless renewed. */
export interface Lease {
  readonly name: string;
  /** Random token of the holder (one per run), so a process never renews someone else's lease. */
  readonly owner: string;
  readonly pid: number;
  readonly host: string;
  /** Unix seconds. */
  readonly acquiredAt: number;
  readonly heartbeatAt: number;
  readonly expiresAt: number;
}

/** Who asks for a lease, and for how long a silent holder keeps it. */
export interface LeaseRequest {
  readonly name: string;
  readonly owner: string;
  readonly pid: number;
  readonly host: string;
  readonly ttlSeconds: number;
}

/** Outcome of {@link acquireLease}: held now (and whose stale lease was taken over), or held by another. */
export type LeaseAcquisition =
  { readonly acquired: true; readonly lease: Lease; readonly replaced: Lease | undefined } | { readonly acquired: false; readonly holder: Lease };

const toLease = (r: LeaseRow): Lease => ({
  name: r.name,
  owner: r.owner,
  pid: r.pid,
  host: r.host,
  acquiredAt: r.acquired_at,
  heartbeatAt: r.heartbeat_at,
  expiresAt: r.expires_at,
});

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The current holder of `name`, expired or not, or undefined. */
export function readLease(store: Store, name: string): Lease | undefined {
  const row = sqliteOf(store).sqlite.prepare('select * from leases where name = ?').get(name) as LeaseRow | undefined;
  return row && toLease(row);
}

/**
 * Takes the lease `name` unless another live holder has it. Runs in one `BEGIN IMMEDIATE`
 * transaction (the write lock is taken before the read), so of two processes asking at once
 * exactly one wins. A holder is gone when its lease expired or when `isGone(holder)` says so
 * (e.g. its pid no longer exists on this host); its row is then replaced and returned as `replaced`.
 * These calls are synchronous on purpose: the heartbeat must also run inside the (synchronous)
 * training loop.
 */
export function acquireLease(
  store: Store,
  request: LeaseRequest,
  isGone: (holder: Lease) => boolean = () => false,
  now: number = nowSeconds(),
): LeaseAcquisition {
  const { sqlite } = sqliteOf(store);
  const take = sqlite.transaction((): LeaseAcquisition => {
    const row = sqlite.prepare('select * from leases where name = ?').get(request.name) as LeaseRow | undefined;
    const holder = row && toLease(row);
    if (holder !== undefined && holder.owner !== request.owner && holder.expiresAt > now && !isGone(holder)) return { acquired: false, holder };
    const lease: Lease = {
      name: request.name,
      owner: request.owner,
      pid: request.pid,
      host: request.host,
      acquiredAt: now,
      heartbeatAt: now,
      expiresAt: now + request.ttlSeconds,
    };
    sqlite
      .prepare('insert or replace into leases (name, owner, pid, host, acquired_at, heartbeat_at, expires_at) values (?, ?, ?, ?, ?, ?, ?)')
      .run(lease.name, lease.owner, lease.pid, lease.host, lease.acquiredAt, lease.heartbeatAt, lease.expiresAt);
    return { acquired: true, lease, replaced: holder?.owner === request.owner ? undefined : holder };
  });
  return take.immediate();
}

/** Extends a held lease by `ttlSeconds` from now; false when `owner` no longer holds it. */
export function renewLease(store: Store, name: string, owner: string, ttlSeconds: number, now: number = nowSeconds()): boolean {
  const r = sqliteOf(store)
    .sqlite.prepare('update leases set heartbeat_at = ?, expires_at = ? where name = ? and owner = ?')
    .run(now, now + ttlSeconds, name, owner);
  return r.changes === 1;
}

/** Gives the lease up; false when `owner` did not hold it (any more). */
export function releaseLease(store: Store, name: string, owner: string): boolean {
  return sqliteOf(store).sqlite.prepare('delete from leases where name = ? and owner = ?').run(name, owner).changes === 1;
}
