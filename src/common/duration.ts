import { UserError } from './user-error.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 };

/**
 * Parses a duration flag such as `90s`, `20m` or `1.5h` (a bare number is minutes) into seconds;
 * a bad value is a {@link UserError} naming the flag.
 */
export function parseDuration(flag: string, value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$/.exec(value);
  const seconds = m === null ? NaN : Number(m[1]) * UNIT_SECONDS[m[2] === '' ? 'm' : m[2]];
  if (!(seconds > 0)) throw new UserError(`--${flag}: expected a duration such as 90s, 20m or 1h, got '${value}'`);
  return seconds;
}
