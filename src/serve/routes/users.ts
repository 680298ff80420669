import { z } from 'zod';
import { HttpError } from '../http-error.js';
import type { ModelRegistry } from '../model-registry.js';
import { parseRequest } from '../parse-request.js';
import { boolQueryParam, kParam } from '../query-params.js';
import { requireModel } from '../require-model.js';
import { toAnswer, type TopKAnswer } from '../to-answer.js';

const recommendationsQuery = z.object({ k: kParam, exclude_seen: boolQueryParam(true) });

/**
 * `GET /v1/users/:id/recommendations?k=10&exclude_seen=true`: the k items nearest to the user's
 * embedding (computed at training time from their features and history), the items they already
 * interacted with left out unless `exclude_seen=false`. The index is asked for k + |seen| so that
 * k items remain after filtering. Unknown user → 404 pointing at `POST /v1/recommendations`.
 * Served by `fastTopKRoutes`.
 */
export function userRecommendations(models: ModelRegistry, id: string, query: unknown): TopKAnswer {
  const { k, exclude_seen: excludeSeen } = parseRequest(recommendationsQuery, query, 'query parameter');
  const model = requireModel(models);
  const vector = model.users.vectorOf(id);
  if (vector === undefined) {
    throw new HttpError(404, 'unknown_user', `unknown user "${id}" (not in model ${model.version}); for a new user, POST /v1/recommendations with their features or recent items`);
  }
  const seen = excludeSeen ? model.seen.get(id) : undefined;
  const hits = model.index.search(vector, k + (seen?.size ?? 0));
  return toAnswer(model.version, hits, k, (item) => seen?.has(item) ?? false);
}
