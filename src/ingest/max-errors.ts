import { UserError } from '../common/user-error.js';

/** How many rejected rows a batch tolerates: an absolute count, or a fraction of rows read. */
export type MaxErrors = { readonly kind: 'count'; readonly n: number } | { readonly kind: 'fraction'; readonly f: number };

/** The default: 1% of the rows read. */
export const DEFAULT_MAX_ERRORS: MaxErrors = { kind: 'fraction', f: 0.01 };

/** Parses `--max-errors N` or `--max-errors P%`. */
export function parseMaxErrors(value: string | undefined): MaxErrors {
  if (value === undefined) return DEFAULT_MAX_ERRORS;
  const s = value.trim();
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(s);
  if (pct !== null && Number(pct[1]) <= 100) return { kind: 'fraction', f: Number(pct[1]) / 100 };
  if (/^\d+$/.test(s)) return { kind: 'count', n: Number(s) };
  throw new UserError(`--max-errors must be a count (e.g. 100) or a percentage (e.g. 2%), got "${value}"`);
}

/** True when `rejected` rows out of `rowsRead` exceed the limit (checked when the batch ends). */
export function exceedsMaxErrors(limit: MaxErrors, rejected: number, rowsRead: number): boolean {
  return limit.kind === 'count' ? rejected > limit.n : rejected > limit.f * rowsRead;
}

/**
 * True when the limit is already clearly exceeded part-way through, so the batch can stop
 * early instead of reading a file that will be rolled back anyway. For a fraction, the final
 * row count is estimated from the share of bytes read (`progress` in (0, 1]), and the batch
 * stops once the rejects exceed twice the limit for that estimate, after at least 1,000 rows.
 */
export function clearlyExceedsMaxErrors(limit: MaxErrors, rejected: number, rowsRead: number, progress: number): boolean {
  if (limit.kind === 'count') return rejected > limit.n;
  if (rowsRead < 1000 || progress <= 0) return false;
  const estimatedRows = rowsRead / Math.min(1, progress);
  return rejected > 2 * limit.f * estimatedRows;
}
