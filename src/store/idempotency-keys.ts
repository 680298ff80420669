import type { CompiledQuery } from 'kysely';
import { kyselyOf, type Store } from './store.js';

/** The `Idempotency-Key` of a write and the sha256 (hex) of its request's canonical body. */
export interface IdempotencyClaim {
  readonly key: string;
  readonly bodySha256: string;
}

/** What the first write under a key answered: the batch its rows went in and its counts. */
export interface IdempotentWrite extends IdempotencyClaim {
  readonly batchId: number;
  readonly inserted: number;
  readonly duplicates: number;
  readonly rejected: number;
  /** Unix seconds. */
  readonly createdAt: number;
}

/** The first write under `key`, or undefined when none committed. */
export async function readIdempotentWrite(store: Store, key: string): Promise<IdempotentWrite | undefined> {
  const r = await kyselyOf(store).selectFrom('idempotency_keys').selectAll().where('key', '=', key).executeTakeFirst();
  return (
    r && {
      key: r.key,
      bodySha256: r.body_sha256,
      batchId: r.batch_id,
      inserted: r.inserted,
      duplicates: r.duplicates,
      rejected: r.rejected,
      createdAt: r.created_at,
    }
  );
}

/**
 * The INSERT that records `claim` with its answer, compiled for the store's dialect so that an
 * interaction writer runs it inside the transaction of the rows: the key commits exactly when
 * they do. A key already recorded makes it fail (the primary key), and the rows with it.
 */
export function idempotentWriteInsert(
  store: Store,
  claim: IdempotencyClaim,
  answer: Omit<IdempotentWrite, keyof IdempotencyClaim | 'createdAt'>,
): CompiledQuery {
  return kyselyOf(store)
    .insertInto('idempotency_keys')
    .values({
      key: claim.key,
      body_sha256: claim.bodySha256,
      batch_id: answer.batchId,
      inserted: answer.inserted,
      duplicates: answer.duplicates,
      rejected: answer.rejected,
      created_at: Math.floor(Date.now() / 1000),
    })
    .compile();
}
