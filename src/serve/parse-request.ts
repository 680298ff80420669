import type { z } from 'zod';
import { HttpError } from './http-error.js';

/**
 * Validates one part of a request with its zod schema and returns the typed value, or throws a
 * 400 whose message names the field: `query parameter "k": must be an integer from 1 to 1000`.
 */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, where: 'query parameter' | 'body field'): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.length > 0 ? `${where} "${issue.path.join('.')}"` : where === 'body field' ? 'request body' : 'query';
  throw new HttpError(400, 'invalid_request', `${field}: ${issue.message}`);
}
