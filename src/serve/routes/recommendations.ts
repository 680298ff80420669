import { z } from 'zod';
import { topKAnswer } from '../answer-schemas.js';
import { HttpError } from '../http-error.js';
import type { ModelRegistry } from '../model-registry.js';
import { MAX_K } from '../query-params.js';
import { requireModel } from '../require-model.js';
import { defineRoute, type Route } from '../route.js';
import { toAnswer } from '../to-answer.js';

/** Most recent items one request may name (the tower uses only the latest `historyMaxLength`). */
export const MAX_RECENT_ITEMS = 1000;

const featureValue = z.union([z.string(), z.number().finite(), z.array(z.string()).max(1000)], { error: 'must be a string, a number or an array of strings' });

const bodySchema = z
  .object(
    {
      features: z.record(z.string(), featureValue, { error: 'must be an object of feature name → value' }).optional(),
      recent_items: z
        .array(z.string(), { error: `must be an array of at most ${MAX_RECENT_ITEMS} item ids (strings), oldest first` })
        .max(MAX_RECENT_ITEMS, { error: `must be an array of at most ${MAX_RECENT_ITEMS} item ids (strings), oldest first` })
        .optional(),
      k: z
        .int({ error: `must be an integer from 1 to ${MAX_K}` })
        .min(1, { error: `must be an integer from 1 to ${MAX_K}` })
        .max(MAX_K, { error: `must be an integer from 1 to ${MAX_K}` })
        .default(10),
      exclude_seen: z.boolean({ error: 'must be true or false' }).default(true),
    },
    // Only the "not an object" case gets our message; unknown keys keep zod's, which names the key.
    { error: (issue) => (issue.code === 'invalid_type' ? 'must be a JSON object { "features"?: {...}, "recent_items"?: [...], "k"?: 10 }' : undefined) },
  )
  .strict()
  .refine((b) => b.features !== undefined || b.recent_items !== undefined, { error: 'give "features" and/or "recent_items"' });

/**
 * `POST /v1/recommendations` for a user the model has never seen: `{ "features": {...},
 * "recent_items": ["50", "181"], "k": 10, "exclude_seen": true }`. The user tower embeds them
 * (unknown feature values and item ids fall back to the out-of-vocabulary rows, as in training);
 * the recent items are left out of the answer unless `exclude_seen` is false.
 */
export function newUserRecommendationsRoute(models: ModelRegistry): Route {
  return defineRoute({
    method: 'POST',
    path: '/v1/recommendations',
    summary: 'Top-k items for a user the model never saw, from their features and/or recent items',
    body: bodySchema,
    response: topKAnswer,
    errors: [501, 503],
    answer: ({ body }) => {
      const model = requireModel(models);
      if (model.embedUser === undefined) {
        throw new HttpError(
          501,
          'no_user_tower',
          `model ${model.version} has no user tower (towers.json) to embed a new user; retrain it with \`contrarec train\``,
        );
      }
      const vector = model.embedUser({ features: body.features, recentItems: body.recent_items });
      const seen = body.exclude_seen ? new Set(body.recent_items ?? []) : new Set<string>();
      return toAnswer(model.version, model.index.search(vector, body.k + seen.size), body.k, (id) => seen.has(id));
    },
  });
}
