import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { errorBody, toHttpError } from './error-handler.js';
import { HttpError } from './http-error.js';
import type { Logger } from './logger.js';
import { allowedMethods, type Route } from './route.js';
import { compileRoutePath } from './route-path.js';
import type { ServeMetrics } from './serve-metrics.js';
import { writeAnswer } from './write-answer.js';

/** Answers the request and returns true when it is one of the fast routes; false leaves it to express. */
export type FastRoutes = (req: IncomingMessage, res: ServerResponse) => boolean;

// As express's router words it, so a bad id reads the same on every route.
function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'bad_request', `Failed to decode param '${raw}'`);
  }
}

function paramsOf(names: readonly string[], match: RegExpExecArray): Record<string, string> {
  const params: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) params[names[i]] = decodeParam(match[i + 1]);
  return params;
}

/**
 * The route table's `fast` entries (the GET routes that carry a recommender's traffic), answered
 * on node:http before express sees the request: express's per-request work (its router and
 * middleware stack) shows in the tail latency under load, and these routes need none of it (no
 * body, no middleware; `bench/serve.ts` measures them). Matching follows express's rules
 * (`compileRoutePath`); guards, query parsing (node:querystring, express 5's), validation,
 * answers, errors and metrics are the route's own, so the answer is the one express would give.
 */
export function fastRoutes(routes: readonly Route[], metrics: ServeMetrics, log: Logger): FastRoutes {
  const allow = allowedMethods(routes);
  const entries = routes.filter((route) => route.fast).map((route) => ({ route, allow: allow.get(route.path) ?? '', ...compileRoutePath(route.path) }));
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') return false;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    for (const { route, allow, regex, names } of entries) {
      const match = regex.exec(pathname);
      if (match === null) continue;
      const method = req.method;
      const start = process.hrtime.bigint();
      if (method === 'OPTIONS') {
        // As express answers it (mountRoutes): the path's methods, no guard, no body.
        res.writeHead(204, { Allow: allow }).end();
        metrics.observe(route.path, method, 204, Number(process.hrtime.bigint() - start) / 1e9);
        return true;
      }
      const finish = (status: number, headers: Readonly<Record<string, string>>, answer: unknown): void => {
        writeAnswer(res, status, headers, answer);
        metrics.observe(route.path, method, status, Number(process.hrtime.bigint() - start) / 1e9);
      };
      const fail = (err: unknown): void => {
        const error = toHttpError(err, log, method, url);
        finish(error.status, error.headers, errorBody(error));
      };
      try {
        for (const guard of route.guards) guard(req.headers);
        const answer = route.handle({
          headers: req.headers,
          params: paramsOf(names, match),
          query: parseQueryString(q < 0 ? '' : url.slice(q + 1)),
          body: undefined,
        });
        if (answer instanceof Promise) answer.then((value: unknown) => finish(200, {}, value), fail);
        else finish(200, {}, answer);
      } catch (err) {
        fail(err);
      }
      return true;
    }
    return false;
  };
}
