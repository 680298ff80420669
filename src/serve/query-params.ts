import { z } from 'zod';

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
