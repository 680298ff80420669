import { z } from 'zod';
import { topKAnswer } from '../answer-schemas.js';
import { HttpError } from '../http-error.js';
import type { ModelRegistry } from '../model-registry.js';
import { boolQueryParam, kParam } from '../query-params.js';
import { requireModel } from '../require-model.js';
import { defineRoute, type Route } from '../route.js';
import { toAnswer } from '../to-answer.js';

/**
 * `GET /v1/users/:id/recommendations?k=10&exclude_seen=true`: the k items nearest to the user's
 * embedding (computed at training time from their features and history), the items they already
 * interacted with left out unless `exclude_seen=false`. The index is asked for k + |seen| so that
 * k items remain after filtering. Unknown user → 404 pointing at `POST /v1/recommendations`.
 * On the fast path, like similar items.
 */
export function userRecommendationsRoute(models: ModelRegistry): Route {
  return defineRoute({
    method: 'GET',
    path: '/v1/users/:id/recommendations',
    summary: "Top-k items for a user the model knows, the user's seen items left out",
    fast: true,
    query: z.object({ k: kParam, exclude_seen: boolQueryParam(true) }),
    response: topKAnswer,
    errors: [404, 503],
    answer: ({ params: { id }, query: { k, exclude_seen: excludeSeen } }) => {
      const model = requireModel(models);
      const vector = model.users.vectorOf(id);
      if (vector === undefined) {
        throw new HttpError(
          404,
          'unknown_user',
          `unknown user "${id}" (not in model ${model.version}); for a new user, POST /v1/recommendations with their features or recent items`,
        );
      }
      const seen = excludeSeen ? model.seen.get(id) : undefined;
      const hits = model.index.search(vector, k + (seen?.size ?? 0));
      return toAnswer(model.version, hits, k, (item) => seen?.has(item) ?? false);
    },
  });
}
