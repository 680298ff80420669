import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseUnreachable } from '../store/index.js';
import { HttpError } from './http-error.js';
import type { Logger } from './logger.js';

/** body-parser's error types (its errors carry `type` and `status`) and the codes we answer with. */
const BODY_ERRORS: Readonly<Record<string, { code: string; message: (limit: unknown) => string }>> = {
  'entity.parse.failed': { code: 'malformed_json', message: () => 'request body is not valid JSON' },
  'entity.too.large': { code: 'body_too_large', message: (limit) => `request body is larger than the limit of ${String(limit)} bytes` },
  'encoding.unsupported': { code: 'unsupported_encoding', message: () => 'unsupported Content-Encoding' },
  'charset.unsupported': { code: 'unsupported_charset', message: () => 'unsupported charset; send UTF-8 JSON' },
  'request.aborted': { code: 'request_aborted', message: () => 'request aborted by the client' },
};

/** Seconds a client is asked to wait (`Retry-After`) before it retries a request refused because the database is unreachable. */
export const UNREACHABLE_RETRY_AFTER_S = 5;

/**
 * The 503 of a request that needed the database while it could not be reached. A write says that
 * nothing was written: each write is one transaction, which a lost connection never commits.
 */
export function databaseUnreachable(method: string): HttpError {
  const write = method !== 'GET' && method !== 'HEAD';
  return new HttpError(503, 'database_unreachable', `the database is unreachable; ${write ? 'nothing was written; ' : ''}retry later`, {
    'Retry-After': String(UNREACHABLE_RETRY_AFTER_S),
  });
}

/** Answers any unmatched route with a JSON 404, so clients never see express's HTML page. */
export const notFoundHandler: RequestHandler = (req) => {
  throw new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`);
};

/**
 * The one place errors become responses: `HttpError` → its status and JSON body; body-parser
 * failures → 400 (malformed JSON) / 413 (too large) and other 4xx from express (a badly
 * percent-encoded path) with the same shape; a database that cannot be reached → 503 with
 * `Retry-After` (not logged per request: the background work logs the outage once); anything else → a 500
 * whose details go to the log, not to the client.
 */
export function toHttpError(err: unknown, log: Logger, method: string, url: string): HttpError {
  if (err instanceof HttpError) return err;
  if (isDatabaseUnreachable(err)) return databaseUnreachable(method);
  if (isClientError(err)) {
    const known = err.type === undefined ? undefined : BODY_ERRORS[err.type];
    return new HttpError(err.status, known?.code ?? 'bad_request', known?.message(err.limit) ?? err.message);
  }
  log({ level: 'error', msg: 'unhandled error', method, url, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  return new HttpError(500, 'internal_error', 'internal server error (logged)');
}

/** The JSON body of an error answer: `{ "error": { "code", "message" } }`. */
export function errorBody(error: HttpError): { error: { code: string; message: string } } {
  return { error: { code: error.code, message: error.message } };
}

/** The express error middleware: {@link toHttpError}, answered as JSON. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const httpError = toHttpError(err, log, req.method, req.originalUrl);
    res.status(httpError.status).set(httpError.headers).json(errorBody(httpError));
  };
}

/**
 * A 4xx raised by express's own parts: body-parser (with a `type`) or the router (a URIError for a
 * path that is not valid percent-encoding, with `status` 400). Their messages are safe to show.
 */
function isClientError(err: unknown): err is { type?: string; status: number; limit?: unknown; message: string } {
  if (!(err instanceof Error)) return false;
  const e = err as { type?: unknown; status?: unknown };
  return (e.type === undefined || typeof e.type === 'string') && typeof e.status === 'number' && e.status >= 400 && e.status < 500;
}
