import { maxHeaderSize, STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody } from './error-handler.js';
import { HttpError } from './http-error.js';

/** The answer node:http would give a request it cannot parse, with the service's error body. */
function clientErrorOf(err: NodeJS.ErrnoException): HttpError {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return new HttpError(431, 'headers_too_large', `request headers are larger than the limit of ${maxHeaderSize} bytes`);
  }
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new HttpError(408, 'request_timeout', 'the request took too long to arrive');
  return new HttpError(400, 'bad_request', `malformed HTTP request (${err.code ?? 'parse error'})`);
}

/**
 * Answers the requests node:http refuses before any route sees them (a malformed request line or
 * header, headers over node's `maxHeaderSize` (16 KiB unless `--max-http-header-size`), a request that arrives too slowly) with the status node
 * would use and the JSON error body every other error of the service has, instead of node's empty
 * body; then closes the connection, as node does.
 *
 * @example
 *   answerClientErrors(http.createServer(createApp(deps)));
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // Node's own rule: nothing more to say on a reset connection or after a response began.
    const started = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (err.code === 'ECONNRESET' || !socket.writable || started) {
      socket.destroy();
      return;
    }
    const error = clientErrorOf(err);
    const body = JSON.stringify(errorBody(error));
    socket.end(
      `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
