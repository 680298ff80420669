import { InvalidArgumentError } from 'commander';

/** Parses a positive integer flag value, so commander reports a bad one by flag name. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer.');
  return n;
}
