import { z } from 'zod';

/**
 * The shapes of the service's answers, as zod schemas: the OpenAPI document (`openapi.ts`)
 * publishes them and the contract test checks every answer against that document. A route
 * declares its own with `response`; the shapes several routes share live here.
 */

/** Every error: `{ "error": { "code", "message" } }`. */
export const errorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** What every top-k route answers: the version that produced it and the items, best first. */
export const topKAnswer = z.object({
  model: z.string(),
  items: z.array(z.object({ id: z.string(), score: z.number() })),
});

/** A version string, or null before any model is served. */
export const servedVersion = z.string().nullable();

/** A feature value as stored: a string, a number, or a list of tags. */
export const featureValues = z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())]));

/** An item of the catalogue as the console shows it. */
export const catalogueItem = z.object({ id: z.string(), features: featureValues, deleted: z.boolean() });

/** An ISO 8601 time, or null when unknown. */
export const isoTimeOrNull = z.string().nullable();
