import { z } from 'zod';
import { MAX_ID_BYTES } from '../ingest/record-rules.js';
import { HttpError } from './http-error.js';

/** Refuses a decoded path parameter longer than {@link MAX_ID_BYTES} (a stored id is never longer): a 400 naming it. */
export function refuseLongParams(params: Readonly<Record<string, string>>): void {
  // for…in, not Object.entries: this runs on every request of the fast path.
  for (const name in params) {
    const value = params[name];
    // A character is at most 3 UTF-8 bytes per UTF-16 unit: short values need no count.
    if (value.length * 3 > MAX_ID_BYTES && Buffer.byteLength(value) > MAX_ID_BYTES) {
      throw new HttpError(400, 'invalid_request', `path parameter "${name}": at most ${MAX_ID_BYTES} bytes`);
    }
  }
}

/**
 * Refuses a parsed query string (node:querystring's, as both routers parse it) that holds a
 * parameter more than once (`k=1&k=2`, an array) or in bracket form (`k[]=1`, `a[b]=1`): a 400
 * naming the parameter, on every route, rather than a schema that never sees `k[]` and answers
 * with the default.
 */
export function refuseArrayParams(query: unknown): void {
  if (typeof query !== 'object' || query === null) return;
  for (const name in query) {
    if (!Object.hasOwn(query, name)) continue;
    const value: unknown = (query as Record<string, unknown>)[name];
    if (name.includes('[')) {
      throw new HttpError(
        400,
        'invalid_request',
        `query parameter "${name}": bracket parameters are not accepted; give "${name.slice(0, name.indexOf('['))}" once`,
      );
    }
    if (typeof value !== 'string')
      throw new HttpError(400, 'invalid_request', `query parameter "${name}": given ${(value as unknown[]).length} times; give it once`);
  }
}

/** Largest `k` the API answers; a bigger list is a bulk export, not a recommendation. */
export const MAX_K = 1000;

/**
 * A query-string integer in [min, max] with a default: digits only (so `1.5`, `1e3`, ` 7` and a
 * repeated `k=1&k=2` are refused), with a message that says the allowed range.
 */
export function intQueryParam(min: number, max: number, fallback: number) {
  const message = `must be an integer from ${min} to ${max}`;
  return z
    .string({ error: message })
    .regex(/^[0-9]{1,9}$/, { error: message })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: message })
    .optional()
    .transform((n) => n ?? fallback);
}

/** A query-string boolean: `true`/`false` (or `1`/`0`), else a 400 saying so. */
export function boolQueryParam(fallback: boolean) {
  return z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? fallback : v === 'true' || v === '1'));
}

/** `k` as every top-k route takes it: 1…1000, default 10. */
export const kParam = intQueryParam(1, MAX_K, 10);
