import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from './http-error.js';
import type { HeaderDoc } from './route.js';

/** The longest `Idempotency-Key` accepted, in characters. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

const KEY_PATTERN = new RegExp(`^[\\x20-\\x7E]{1,${MAX_IDEMPOTENCY_KEY_LENGTH}}$`);

/** The request header, as the OpenAPI document describes it. */
export const IDEMPOTENCY_KEY_DOC: HeaderDoc = {
  name: 'Idempotency-Key',
  description:
    `1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters (400 otherwise). A retry with the same key and body writes nothing and answers ` +
    'as the first request did, with `Idempotent-Replayed: true`; the same key with another body is a 422.',
  schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH, pattern: '^[\\x20-\\x7E]+$' },
};

/** The answer header of a replayed request, as the OpenAPI document describes it. */
export const IDEMPOTENT_REPLAYED_DOC: HeaderDoc = {
  name: 'Idempotent-Replayed',
  description: '`true` when the answer is that of an earlier request with the same Idempotency-Key (nothing was written now).',
  schema: { type: 'string', enum: ['true'] },
};

/** The request's `Idempotency-Key`, undefined without one; a 400 when it is not 1 to 200 printable ASCII characters. */
export function idempotencyKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw new HttpError(400, 'invalid_request', `header Idempotency-Key: must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters`);
  }
  return key;
}

/**
 * The sha256 (hex) of `value` as canonical JSON (object keys sorted at every level), so that the
 * same body sent again with its keys in another order counts as the same request.
 */
export function canonicalSha256(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Readonly<Record<string, unknown>>;
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((k) => [k, canonical(object[k])]),
  );
}
