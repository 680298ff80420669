import express, { type RequestHandler, type Response, type Router } from 'express';
import { HttpError } from './http-error.js';
import { refuseDeepJson } from './json-depth.js';
import { allowedMethods, AnswerWithHeaders, TextAnswer, type Route, type RouteGuard } from './route.js';
import { compileRoutePath } from './route-path.js';

/** A route guard as express middleware (express 5 passes what it throws to the error handler). */
export function guardMiddleware(guard: RouteGuard): RequestHandler {
  return (req, _res, next) => {
    guard(req.headers);
    next();
  };
}

const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (req.body === undefined) throw new HttpError(415, 'unsupported_media_type', 'send the body as JSON with Content-Type: application/json');
  next();
};

// Only wildcard parameters are arrays, and compileRoutePath refused those for every table entry.
const stringParams = (params: Readonly<Record<string, string | string[]>>): Readonly<Record<string, string>> => params as Readonly<Record<string, string>>;

function send(res: Response, answer: unknown): void {
  if (answer instanceof TextAnswer) res.type(answer.contentType).send(answer.text);
  else if (answer instanceof AnswerWithHeaders) res.set(answer.headers).json(answer.body);
  else res.json(answer);
}

/** The limits on a JSON body: its size in bytes (413 beyond) and its nesting depth (400 beyond). */
export interface BodyLimits {
  readonly bytes: number;
  readonly depth: number;
}

/**
 * Registers the route table on an express app or router: per route its guards (before the body
 * is read, so a refused request costs no parsing), the JSON body parser when it takes a body (up
 * to `limits.bytes`; its nesting depth checked on the raw bytes before parsing), then its answer;
 * and per path an OPTIONS answer (204 with `Allow`). Every route is registered, the fast ones too,
 * so express alone serves the whole table.
 */
export function mountRoutes(app: Router, routes: readonly Route[], limits: BodyLimits): void {
  const json = express.json({ limit: limits.bytes, strict: false, verify: refuseDeepJson(limits.depth) });
  for (const route of routes) {
    compileRoutePath(route.path); // the same pattern rules as the fast path, for every entry
    const handlers: RequestHandler[] = route.guards.map(guardMiddleware);
    if (route.jsonBody) handlers.push(json, requireJsonBody);
    handlers.push(async (req, res) =>
      send(res, await route.handle({ headers: req.headers, params: stringParams(req.params), query: req.query, body: req.body as unknown })),
    );
    const path = app.route(route.path);
    if (route.method === 'GET') path.get(...handlers);
    else if (route.method === 'DELETE') path.delete(...handlers);
    else path.post(...handlers);
  }
  for (const [path, allow] of allowedMethods(routes)) app.options(path, (_req, res) => void res.status(204).set('Allow', allow).end());
}
