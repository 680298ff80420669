import { z } from 'zod';
import { openApiDocument } from '../openapi.js';
import { defineRoute, type Route } from '../route.js';

/**
 * `GET /openapi.json`: the OpenAPI 3.1 document of every route of the table (itself included),
 * generated from the routes' schemas on the first request and kept.
 */
export function openApiRoute(routes: () => readonly Route[], bodyLimitBytes: number): Route {
  let document: object | undefined;
  return defineRoute({
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document: every route, its parameters, body, answers and tokens',
    response: z.looseObject({
      openapi: z.literal('3.1.0'),
      info: z.looseObject({ title: z.string(), version: z.string() }),
      paths: z.record(z.string(), z.unknown()),
    }),
    answer: () => (document ??= openApiDocument(routes(), bodyLimitBytes)),
  });
}
