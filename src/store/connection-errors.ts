/**
 * SQLSTATE classes and codes that mean the connection to the server is gone or cannot be made,
 * not that the statement was wrong: class 08 (connection exception) and the shutdowns of class 57
 * (admin_shutdown 57P01, crash_shutdown 57P02, cannot_connect_now 57P03 while it starts).
 */
const LOST_CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03']);

/** Socket errors of a server that is down, restarting or out of reach. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * pg's own errors for a lost connection, which carry no code: the socket closed under a query,
 * the pool's `connectionTimeoutMillis` passed while connecting, or a client ended under a query.
 */
const LOST_CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
];

/**
 * Whether an error from the store means the database server could not be reached (down,
 * restarting, unreachable, or the connection dropped under the query) rather than that the
 * request was wrong: the statement did not run, or ran in a transaction that never committed, so
 * trying again later is right. One place for pg's many ways of saying so; SQLite never does.
 */
export function isDatabaseUnreachable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  // Node's connect to a name with several addresses fails with one error per address.
  if (err instanceof AggregateError && err.errors.length > 0 && err.errors.every(isDatabaseUnreachable)) return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || LOST_CONNECTION_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (LOST_CONNECTION_MESSAGES.some((m) => m.test(err.message))) return true;
  return err.cause !== undefined && err.cause !== err && isDatabaseUnreachable(err.cause);
}
