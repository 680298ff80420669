/**
 * The one error type a route throws to answer with a status: `status` (HTTP), `code` (stable,
 * machine-readable, snake_case) and `message` (for a person). The error middleware turns it into
 * `{ "error": { "code", "message" } }`; anything else thrown becomes a logged 500.
 *
 * @example
 *   throw new HttpError(404, 'unknown_item', `unknown item "${id}"`);
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers, e.g. `WWW-Authenticate` on a 401. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
