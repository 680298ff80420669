import { z } from 'zod';
import type { IdempotencyClaim } from '../../store/index.js';
import { requireBearerToken } from '../bearer-token.js';
import { HttpError } from '../http-error.js';
import { canonicalSha256, IDEMPOTENCY_KEY_DOC, IDEMPOTENT_REPLAYED_DOC, idempotencyKeyOf } from '../idempotency-key.js';
import { AnswerWithHeaders, defineRoute, type Route, type RouteGuard } from '../route.js';

/** Most interactions one `POST /v1/interactions` may carry. */
export const MAX_INTERACTIONS_PER_REQUEST = 10_000;

/** What storing a batch did (the store's `ingestInteractionRows` result). */
export interface IngestOutcome {
  readonly inserted: number;
  readonly duplicates: number;
  readonly rejected: readonly { readonly index: number; readonly reason: string }[];
  /** With an idempotency key: stored with the rows, the first answer replayed, or the key used with another body. */
  readonly idempotency?: 'stored' | 'replayed' | 'conflict';
}

/** Validates and stores rows as file ingestion does; refused rows come back in `rejected`; `claim` makes the write idempotent. */
export type InteractionIngester = (rows: readonly unknown[], claim?: IdempotencyClaim) => IngestOutcome | Promise<IngestOutcome>;

const bodySchema = z.object(
  {
    interactions: z
      .array(z.unknown(), { error: `must be an array of 1 to ${MAX_INTERACTIONS_PER_REQUEST} interactions` })
      .min(1, { error: `must be an array of 1 to ${MAX_INTERACTIONS_PER_REQUEST} interactions` })
      .max(MAX_INTERACTIONS_PER_REQUEST, { error: `must be an array of 1 to ${MAX_INTERACTIONS_PER_REQUEST} interactions` }),
  },
  { error: 'must be a JSON object { "interactions": [...] }' },
);

/**
 * The write endpoints' guard: refused (403) when no token is configured, since writes are
 * opt-in; else the bearer token, checked as every token of the service is ({@link requireBearerToken}).
 */
export function requireAdminToken(token: string | undefined): RouteGuard {
  if (!token) {
    return () => {
      throw new HttpError(403, 'writes_disabled', 'write endpoints are disabled: set CONTRAREC_ADMIN_TOKEN on the server to enable them');
    };
  }
  return requireBearerToken(token, 'CONTRAREC_ADMIN_TOKEN');
}

/** The 403 of a write endpoint on a server without a database. */
function refuseWithoutStore(): never {
  throw new HttpError(403, 'writes_disabled', 'write endpoints are disabled: this server runs without a database (--artifact)');
}

/** A write endpoint's guard: 403 without a store, before the body is read. */
export function requireStore(hasStore: boolean): RouteGuard {
  return () => {
    if (!hasStore) refuseWithoutStore();
  };
}

/**
 * `POST /v1/interactions` with `{ "interactions": [ { "user", "item", "ts"?, "event"?, "weight"? } ] }`:
 * appends events to the store with the same validation as file ingestion; they count in the
 * next retrain. 200 with counts and the refused rows when at least one row was good; 400 naming
 * the first bad row when none was. Needs the admin bearer token, checked before the body is read.
 * An `Idempotency-Key` makes a retry safe: the same key and body again writes nothing and answers
 * as the first time (with `Idempotent-Replayed: true`); the same key with another body is a 422.
 */
export function interactionsRoute(ingest: InteractionIngester | undefined, adminToken: string | undefined): Route {
  const noStore = (): never => refuseWithoutStore();
  return defineRoute({
    method: 'POST',
    path: '/v1/interactions',
    summary: 'Append interactions (validated as file ingest is); 400 when no row is good, and then nothing is written',
    guards: [requireAdminToken(adminToken), requireStore(ingest !== undefined), (headers) => void idempotencyKeyOf(headers)],
    auth: 'admin',
    headers: [IDEMPOTENCY_KEY_DOC],
    responseHeaders: [IDEMPOTENT_REPLAYED_DOC],
    errors: [422, 503],
    body: bodySchema,
    response: z.object({
      inserted: z.int().min(0),
      duplicates: z.int().min(0),
      rejected: z.array(z.object({ index: z.int().min(0), reason: z.string() })),
    }),
    answer: async ({ body, headers }) => {
      const key = idempotencyKeyOf(headers);
      const outcome = await (ingest ?? noStore)(body.interactions, key === undefined ? undefined : { key, bodySha256: canonicalSha256(body) });
      if (outcome.idempotency === 'conflict') {
        throw new HttpError(422, 'idempotency_key_reused', `Idempotency-Key "${key}" was already used with a different body; send a new key for a new request`);
      }
      if (outcome.inserted + outcome.duplicates === 0) {
        const first = outcome.rejected[0];
        throw new HttpError(400, 'invalid_request', `body field "interactions.${first.index}": ${first.reason}`);
      }
      const answer = { inserted: outcome.inserted, duplicates: outcome.duplicates, rejected: outcome.rejected };
      return outcome.idempotency === 'replayed' ? new AnswerWithHeaders(answer, { 'Idempotent-Replayed': 'true' }) : answer;
    },
  });
}
