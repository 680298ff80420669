import type { Generated } from 'kysely';

/**
 * One held lease (migration 0002): `name` is the job (e.g. `retrain`); the holder is known by a
 * random `owner` token plus its pid and host, so a lease left by a dead process can be recognised.
 * Times are unix seconds.
 */
export interface LeaseTable {
  name: string;
  owner: string;
  pid: number;
  host: string;
  acquired_at: number;
  heartbeat_at: number;
  expires_at: number;
}

/** One activation of a model version, in order (the `id`), for rollback. */
export interface ModelActivationTable {
  id: Generated<number>;
  version: string;
  activated_at: number;
}
