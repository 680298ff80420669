/**
 * An error caused by what the user asked for (a missing file, a bad flag, a bad header),
 * as opposed to a bug. The CLI prints its message on one line, without a stack trace,
 * and exits with `exitCode` (2 by convention for bad input, 1 for a failed operation).
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
