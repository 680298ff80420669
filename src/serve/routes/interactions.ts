import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { HttpError } from '../http-error.js';
import { parseRequest } from '../parse-request.js';

/** Most interactions one `POST /v1/interactions` may carry. */
export const MAX_INTERACTIONS_PER_REQUEST = 10_000;

/** What storing a batch did (the store's `ingestInteractionRows` result). */
export interface IngestOutcome {
  readonly inserted: number;
  readonly duplicates: number;
  readonly rejected: readonly { readonly index: number; readonly reason: string }[];
}

/** Validates and stores rows as file ingestion does; refused rows come back in `rejected`. */
export type InteractionIngester = (rows: readonly unknown[]) => IngestOutcome | Promise<IngestOutcome>;

const bodySchema = z.object(
  {
    interactions: z.array(z.unknown(), { error: `must be an array of 1 to ${MAX_INTERACTIONS_PER_REQUEST} interactions` })
      .min(1, { error: `must be an array of 1 to ${MAX_INTERACTIONS_PER_REQUEST} interactions` })
      .max(MAX_INTERACTIONS_PER_REQUEST, { error: `must be an array of 1 to ${MAX_INTERACTIONS_PER_REQUEST} interactions` }),
  },
  { error: 'must be a JSON object { "interactions": [...] }' },
);

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * Bearer-token check for write endpoints. No token configured → every write is refused (403):
 * writes are opt-in. Compared through hashes with `timingSafeEqual`, so timing leaks nothing.
 */
export function requireAdminToken(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (!token) throw new HttpError(403, 'writes_disabled', 'write endpoints are disabled: set CONTRAREC_ADMIN_TOKEN on the server to enable them');
    const header = req.get('authorization') ?? '';
    const given = /^Bearer (.+)$/.exec(header)?.[1] ?? '';
    if (!timingSafeEqual(sha256(given), sha256(token))) {
      throw new HttpError(401, 'unauthorized', 'missing or wrong bearer token (Authorization: Bearer <CONTRAREC_ADMIN_TOKEN>)', { 'WWW-Authenticate': 'Bearer realm="contrarec"' });
    }
    next();
  };
}

/**
 * `POST /v1/interactions` with `{ "interactions": [ { "user", "item", "ts"?, "event"?, "weight"? } ] }`:
 * appends events to the store with the same validation as file ingestion; they count in the
 * next retrain. 200 with counts and the refused rows when at least one row was good; 400 naming
 * the first bad row when none was. Needs the admin bearer token.
 */
export function interactionRoutes(ingest: InteractionIngester | undefined, adminToken: string | undefined, bodyLimitBytes: number): Router {
  const router = Router();
  router.post('/v1/interactions', requireAdminToken(adminToken), express.json({ limit: bodyLimitBytes, strict: false }), async (req, res) => {
    if (!ingest) throw new HttpError(403, 'writes_disabled', 'write endpoints are disabled: this server runs without a database (--artifact)');
    if (req.body === undefined) throw new HttpError(415, 'unsupported_media_type', 'send the body as JSON with Content-Type: application/json');
    const { interactions } = parseRequest(bodySchema, req.body, 'body field');
    const outcome = await ingest(interactions);
    if (outcome.inserted + outcome.duplicates === 0) {
      const first = outcome.rejected[0];
      throw new HttpError(400, 'invalid_request', `body field "interactions.${first.index}": ${first.reason}`);
    }
    res.json({ inserted: outcome.inserted, duplicates: outcome.duplicates, rejected: outcome.rejected });
  });
  return router;
}
