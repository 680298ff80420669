import type { Kysely, Selectable } from 'kysely';
import type { Database } from './database.js';
import type { LeaseTable } from './lease-tables.js';
import { lockForTransaction } from './postgres-xact-lock.js';
import { kyselyOf, type Store } from './store.js';

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

const toLease = (r: Selectable<LeaseTable>): Lease => ({
  name: r.name,
  owner: r.owner,
  pid: r.pid,
  host: r.host,
  acquiredAt: r.acquired_at,
  heartbeatAt: r.heartbeat_at,
  expiresAt: r.expires_at,
});

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

const leaseRow = (db: Kysely<Database>, name: string) => db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirst();

/** The current holder of `name`, expired or not, or undefined. */
export async function readLease(store: Store, name: string): Promise<Lease | undefined> {
  const row = await leaseRow(kyselyOf(store), name);
  return row && toLease(row);
}

/**
 * Takes the lease `name` unless another live holder has it. Runs in one transaction that holds
 * the write lock before it reads (SQLite's `begin immediate`; on PostgreSQL an advisory lock on
 * the lease's name, so it works across machines), so of two processes asking at once exactly
 * one wins. A holder is gone when its lease expired or when `isGone(holder)` says so (e.g. its
 * pid no longer exists on this host); its row is then replaced and returned as `replaced`.
 */
export async function acquireLease(
  store: Store,
  request: LeaseRequest,
  isGone: (holder: Lease) => boolean = () => false,
  now: number = nowSeconds(),
): Promise<LeaseAcquisition> {
  return kyselyOf(store)
    .transaction()
    .execute(async (tx): Promise<LeaseAcquisition> => {
      await lockForTransaction(store, tx, `lease:${request.name}`);
      const row = await leaseRow(tx, request.name);
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
      const values = {
        name: lease.name,
        owner: lease.owner,
        pid: lease.pid,
        host: lease.host,
        acquired_at: lease.acquiredAt,
        heartbeat_at: lease.heartbeatAt,
        expires_at: lease.expiresAt,
      };
      await tx
        .insertInto('leases')
        .values(values)
        .onConflict((oc) => oc.column('name').doUpdateSet(values))
        .execute();
      return { acquired: true, lease, replaced: holder?.owner === request.owner ? undefined : holder };
    });
}

/** Extends a held lease by `ttlSeconds` from now; false when `owner` no longer holds it. */
export async function renewLease(store: Store, name: string, owner: string, ttlSeconds: number, now: number = nowSeconds()): Promise<boolean> {
  const r = await kyselyOf(store)
    .updateTable('leases')
    .set({ heartbeat_at: now, expires_at: now + ttlSeconds })
    .where('name', '=', name)
    .where('owner', '=', owner)
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/** Gives the lease up; false when `owner` did not hold it (any more). */
export async function releaseLease(store: Store, name: string, owner: string): Promise<boolean> {
  const r = await kyselyOf(store).deleteFrom('leases').where('name', '=', name).where('owner', '=', owner).executeTakeFirst();
  return r.numDeletedRows === 1n;
}
