import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import { parseRequest } from './parse-request.js';
import { refuseArrayParams, refuseLongParams } from './query-params.js';

/** The methods the service answers (a GET route also answers HEAD, as express does). */
export type RouteMethod = 'GET' | 'POST' | 'DELETE';

/** `:name` segments of an express path pattern, as a union of names: `'/a/:id/b'` → `'id'`. */
type ParamNames<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? Name
    : never;

/** The decoded path parameters of a pattern, typed from the pattern itself. */
export type PathParams<Path extends string> = { readonly [Name in ParamNames<Path>]: string };

/**
 * A check on the request's headers that runs before anything else (before a body is read), on
 * both the fast path and express: it returns to let the request through or throws an HttpError.
 */
export type RouteGuard = (headers: IncomingHttpHeaders) => void;

/** A non-JSON answer (the Prometheus scrape): the content type and the text as is. */
export class TextAnswer {
  constructor(
    readonly contentType: string,
    readonly text: string,
  ) {}
}

/** A JSON answer with headers of its own (e.g. `Idempotent-Replayed`), sent with status 200 on either router. */
export class AnswerWithHeaders {
  constructor(
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>>,
  ) {}
}

/** A request or response header as the OpenAPI document describes it. */
export interface HeaderDoc {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of its value. */
  readonly schema: Readonly<Record<string, unknown>>;
}

/** Who may call a route: the admin bearer token (writes), or the read token of the console API (required only when the server sets one). */
export type RouteAuth = 'admin' | 'read';

/** A route as the OpenAPI document describes it (`openApiDocument`): all of it comes from the route's declaration. */
export interface RouteDoc {
  readonly summary: string;
  readonly query: z.ZodType | undefined;
  readonly body: z.ZodType | undefined;
  /** The 200 answer: its JSON shape, or the content type of a text answer. */
  readonly response: z.ZodType | { readonly text: string };
  /** Every status besides 200 the route can answer, each with the error shape. */
  readonly errors: readonly number[];
  readonly auth: RouteAuth | undefined;
  /** Optional request headers the route reads. */
  readonly headers: readonly HeaderDoc[];
  /** Headers its 200 answer may carry. */
  readonly responseHeaders: readonly HeaderDoc[];
}

/** What a router hands a route: the request's headers, the path's decoded parameters, the parsed query string and the JSON body (POST). */
export interface RawRouteRequest {
  readonly headers: IncomingHttpHeaders;
  readonly params: Readonly<Record<string, string>>;
  readonly query: unknown;
  readonly body: unknown;
}

/**
 * One entry of the route table: everything either router needs to answer it, declared once. Both
 * `fastRoutes` (node:http) and `mountRoutes` (express) are built from these, so a route's path,
 * guards, validation and answer cannot differ between them.
 */
export interface Route {
  readonly method: RouteMethod;
  /** Express path pattern (literal segments and `:name` parameters only); also the `/metrics` label. */
  readonly path: string;
  /** Answered on node:http before express sees the request (GET without a body only). */
  readonly fast: boolean;
  /** Whether express reads a JSON body for it (and answers 415 when there is none). */
  readonly jsonBody: boolean;
  readonly guards: readonly RouteGuard[];
  readonly doc: RouteDoc;
  /** Validates the query and body (400 naming the field) and answers: a JSON-able value, a {@link TextAnswer}, an {@link AnswerWithHeaders}, or a promise of one. */
  handle(request: RawRouteRequest): unknown;
}

/** How a route is declared: schemas for the query and body, and the answer from their typed values. */
export interface RouteSpec<Path extends string, Query extends z.ZodType, Body extends z.ZodType> {
  readonly method: RouteMethod;
  readonly path: Path;
  /** One line for the OpenAPI document. */
  readonly summary: string;
  readonly fast?: boolean;
  readonly guards?: readonly RouteGuard[];
  /** The guards' meaning for the OpenAPI document (its security schemes and their 401/403). */
  readonly auth?: RouteAuth;
  readonly query?: Query;
  readonly body?: Body;
  /** The shape of the 200 answer (documented, and checked by the contract test), or `{ text: contentType }`. */
  readonly response: z.ZodType | { readonly text: string };
  /** Error statuses `answer` itself throws (404 unknown id, 503 no model…); those of validation, body and guards are added. */
  readonly errors?: readonly number[];
  /** Optional request headers `answer` reads (it validates them itself), for the OpenAPI document. */
  readonly headers?: readonly HeaderDoc[];
  /** Headers its 200 answer may carry, for the OpenAPI document. */
  readonly responseHeaders?: readonly HeaderDoc[];
  answer(input: {
    readonly params: PathParams<Path>;
    readonly query: z.output<Query>;
    readonly body: z.output<Body>;
    readonly headers: IncomingHttpHeaders;
  }): unknown;
}

/**
 * Declares a route of the table. Parameter names come from the path's type; query and body are
 * validated by their zod schemas before `answer` runs, with the same 400 on either router.
 *
 * @example
 *   defineRoute({ method: 'GET', path: '/v1/items/:id/similar', summary: 'Items similar to an item', fast: true,
 *     query: z.object({ k: kParam }), response: topKAnswer, errors: [404, 503],
 *     answer: ({ params, query }) => similar(params.id, query.k) });
 */
export function defineRoute<Path extends string, Query extends z.ZodType = z.ZodUnknown, Body extends z.ZodType = z.ZodUnknown>(
  spec: RouteSpec<Path, Query, Body>,
): Route {
  const fast = spec.fast ?? false;
  if (fast && (spec.method !== 'GET' || spec.body !== undefined)) throw new Error(`route ${spec.method} ${spec.path}: only a GET without a body can be fast`);
  if (spec.method === 'GET' && spec.body !== undefined) throw new Error(`route GET ${spec.path}: a GET has no body`);
  const { query: querySchema, body: bodySchema } = spec;
  // 400: a bad query (array parameters are refused on every route) or a badly encoded path.
  const errors = new Set([400, ...(bodySchema === undefined ? [] : [413, 415]), ...authErrors(spec.auth), ...(spec.errors ?? [])]);
  return {
    method: spec.method,
    path: spec.path,
    fast,
    jsonBody: bodySchema !== undefined,
    guards: spec.guards ?? [],
    doc: {
      summary: spec.summary,
      query: querySchema,
      body: bodySchema,
      response: spec.response,
      errors: [...errors].sort((a, b) => a - b),
      auth: spec.auth,
      headers: spec.headers ?? [],
      responseHeaders: spec.responseHeaders ?? [],
    },
    handle(request) {
      refuseLongParams(request.params);
      refuseArrayParams(request.query);
      // Without a schema the type parameter is its default, ZodUnknown, whose output is unknown.
      const query = querySchema === undefined ? (request.query as z.output<Query>) : parseRequest(querySchema, request.query, 'query parameter');
      const body = bodySchema === undefined ? (request.body as z.output<Body>) : parseRequest(bodySchema, request.body, 'body field');
      // Both routers matched `spec.path`, so the params hold exactly its names.
      return spec.answer({ params: request.params as PathParams<Path>, query, body, headers: request.headers });
    },
  };
}

/** The answers a guard gives: 401 without the token; the admin routes also 403 while writes are disabled. */
function authErrors(auth: RouteAuth | undefined): number[] {
  if (auth === 'admin') return [401, 403];
  return auth === 'read' ? [401] : [];
}

/**
 * The `Allow` header of each path of the table (`GET, HEAD, OPTIONS`, `POST, OPTIONS`), which
 * both routers answer an OPTIONS request with: 204, that header, no body, no guard.
 */
export function allowedMethods(routes: readonly Route[]): ReadonlyMap<string, string> {
  const byPath = new Map<string, Set<string>>();
  for (const route of routes) {
    const methods = byPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    if (route.method === 'GET') methods.add('HEAD');
    byPath.set(route.path, methods);
  }
  return new Map([...byPath].map(([path, methods]) => [path, [...methods, 'OPTIONS'].join(', ')]));
}
