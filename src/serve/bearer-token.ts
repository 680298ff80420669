import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from './http-error.js';
import type { RouteGuard } from './route.js';

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * A guard that lets a request through only with `Authorization: Bearer <token>`; else 401 naming
 * the environment variable that holds the token. Compared through hashes with `timingSafeEqual`
 * (equal lengths whatever was sent), so the answer's timing leaks nothing about the token.
 */
export function requireBearerToken(token: string, variable: string): RouteGuard {
  const expected = sha256(token);
  return (headers: IncomingHttpHeaders) => {
    const given = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(sha256(given), expected)) {
      throw new HttpError(401, 'unauthorized', `missing or wrong bearer token (Authorization: Bearer <${variable}>)`, {
        'WWW-Authenticate': 'Bearer realm="contrarec"',
      });
    }
  };
}
