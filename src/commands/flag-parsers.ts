import { InvalidArgumentError } from 'commander';

/** Parses a positive integer flag value, so commander reports a bad one by flag name. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer.');
  return n;
}

/** Parses a non-negative integer flag value (0 allowed), so commander reports a bad one by flag name. */
export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('must be a whole number (0 or more).');
  return n;
}

/** Parses a rating flag value (`--test-min-rating`): a finite number. */
export function rating(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('must be a number.');
  return n;
}
