import { z } from 'zod';
import { topKAnswer } from '../answer-schemas.js';
import { HttpError } from '../http-error.js';
import type { LiveServing } from '../live-serving.js';
import type { ModelRegistry } from '../model-registry.js';
import { kParam } from '../query-params.js';
import { requireModel } from '../require-model.js';
import { defineRoute, type Route } from '../route.js';
import { toAnswer } from '../to-answer.js';

/**
 * `GET /v1/items/:id/similar?k=10`: the k items whose embeddings are nearest (cosine) to this
 * item's, the item itself excluded. Live, items added since training (`LiveItems`) are asked
 * about and answered like the model's own. Unknown or deleted item → 404. On the fast path: it carries a
 * recommender's traffic and needs nothing express adds.
 */
export function similarItemsRoute(models: ModelRegistry, live?: LiveServing): Route {
  return defineRoute({
    method: 'GET',
    path: '/v1/items/:id/similar',
    summary: 'The k items nearest to an item (cosine), the item itself excluded',
    fast: true,
    query: z.object({ k: kParam }),
    response: topKAnswer,
    errors: [404, 503],
    answer: async ({ params: { id }, query: { k } }) => {
      const model = requireModel(models);
      const items = live && (await live.fresh(model))?.items;
      const vector = items ? items.vectorOf(id) : model.items.vectorOf(id);
      if (vector === undefined) throw new HttpError(404, 'unknown_item', `unknown item "${id}" (not in model ${model.version}, or deleted)`);
      return toAnswer(model.version, model.index.search(vector, k + 1), k, (other) => other === id);
    },
  });
}
