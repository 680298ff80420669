import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { errorAnswer } from './answer-schemas.js';
import { MAX_JSON_DEPTH } from './json-depth.js';
import { MAX_ID_BYTES } from '../ingest/record-rules.js';
import { MAX_K } from './query-params.js';
import type { Route, RouteAuth } from './route.js';
import { compileRoutePath } from './route-path.js';

/** A JSON Schema object as `z.toJSONSchema` writes it. */
type JsonSchema = Record<string, unknown>;

/** The security schemes: the admin token opens writes, the read token the console API (when the server sets one). */
const SECURITY_SCHEMES = {
  adminToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'CONTRAREC_ADMIN_TOKEN: required by the write routes; while the server has none set, writes answer 403.',
  },
  readToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'CONTRAREC_READ_TOKEN: required by every /console/api/ route when the server sets it; unset, the console API is open.',
  },
} as const;

const SECURITY: Readonly<Record<RouteAuth, readonly Record<string, readonly string[]>[]>> = {
  admin: [{ adminToken: [] }],
  // Optional: the empty requirement says a server without a read token needs none.
  read: [{ readToken: [] }, {}],
};

/** One zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), without its `$schema` line: what a client sends (`input`) or receives (`output`). */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

/** The query schema's properties as OpenAPI query parameters. */
function queryParameters(schema: z.ZodType | undefined): object[] {
  if (schema === undefined) return [];
  const json = jsonSchemaOf(schema, 'input');
  const properties = (json['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json['required'] ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    description: 'Given at most once; repeated (`k=1&k=2`) or in bracket form (`k[]=1`) it is a 400.',
    schema: property,
  }));
}

/**
 * A 503 is either no model served yet, or (code `database_unreachable`) a route that needed the
 * database while it could not be reached, which also says when to retry.
 */
const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before retrying; sent when the database is unreachable (code `database_unreachable`; a write then wrote nothing).',
    schema: { type: 'integer', minimum: 1 },
  },
};

const errorResponse = (status: number): object => ({
  description: STATUS_CODES[status] ?? String(status),
  ...(status === 503 ? { headers: RETRY_AFTER } : {}),
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** One route as an OpenAPI operation: parameters, body, answers by status, security. */
function operationOf(route: Route): object {
  const { doc } = route;
  const pathParameters = compileRoutePath(route.path).names.map((name) => ({
    name,
    in: 'path',
    required: true,
    description: `At most ${MAX_ID_BYTES} bytes of UTF-8 (400 beyond).`,
    schema: { type: 'string' },
  }));
  const headerParameters = doc.headers.map(({ name, description, schema }) => ({ name, in: 'header', required: false, description, schema }));
  const responseHeaders =
    doc.responseHeaders.length === 0
      ? {}
      : { headers: Object.fromEntries(doc.responseHeaders.map(({ name, description, schema }) => [name, { description, schema }])) };
  const ok =
    'text' in doc.response
      ? { description: 'OK', content: { [doc.response.text]: { schema: { type: 'string' } } } }
      : { description: 'OK', ...responseHeaders, content: { 'application/json': { schema: jsonSchemaOf(doc.response, 'output') } } };
  return {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[/:.](\w)/g, (_m, c: string) => c.toUpperCase()).replace(/\W/g, '')}`,
    summary: doc.summary,
    parameters: [...pathParameters, ...queryParameters(doc.query), ...headerParameters],
    ...(doc.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            description: `JSON, at most the server's body limit (413 beyond) and ${MAX_JSON_DEPTH} levels of nested arrays and objects (400 beyond).`,
            content: { 'application/json': { schema: jsonSchemaOf(doc.body, 'input') } },
          },
        }),
    responses: { '200': ok, ...Object.fromEntries(doc.errors.map((status) => [String(status), errorResponse(status)])) },
    ...(doc.auth === undefined ? {} : { security: SECURITY[doc.auth] }),
  };
}

/**
 * The OpenAPI 3.1 document of the service, generated from the route table: each route's path and
 * method, its zod query and body schemas (as JSON Schema, the input side) and its answer's schema
 * (the output side), the error statuses it can answer with the one error shape, and the token it
 * needs. `GET /openapi.json` serves it.
 *
 * @example
 *   const doc = openApiDocument(routes, 1024 * 1024); // doc.paths['/v1/items/{id}/similar'].get
 */
export function openApiDocument(routes: readonly Route[], bodyLimitBytes: number): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operationOf(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'contrarec',
      version: 'v1',
      description:
        `Recommendations and similar items from the served model, writes of interactions, and the web console's read API. ` +
        `Limits: a JSON body of at most ${bodyLimitBytes} bytes (413 beyond) nesting at most ${MAX_JSON_DEPTH} levels (400 beyond); ` +
        `an id in a path at most ${MAX_ID_BYTES} bytes; k at most ${MAX_K}; every query parameter at most once (400 beyond). ` +
        'Every error is `{ "error": { "code", "message" } }`.',
    },
    paths,
    components: { schemas: { Error: jsonSchemaOf(errorAnswer, 'output') }, securitySchemes: SECURITY_SCHEMES },
  };
}
