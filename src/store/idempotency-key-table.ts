/**
 * One `Idempotency-Key` of an API write (migration 0005): the sha256 of the request's canonical
 * body, the batch its rows went in, and its answer's counts. `created_at` is unix seconds.
 */
export interface IdempotencyKeyTable {
  key: string;
  body_sha256: string;
  batch_id: number;
  inserted: number;
  duplicates: number;
  rejected: number;
  created_at: number;
}
