import { z } from 'zod';
import { HttpError } from '../http-error.js';
import type { ModelRegistry } from '../model-registry.js';
import { parseRequest } from '../parse-request.js';
import { kParam } from '../query-params.js';
import { requireModel } from '../require-model.js';
import { toAnswer, type TopKAnswer } from '../to-answer.js';

const similarQuery = z.object({ k: kParam });

/**
 * `GET /v1/items/:id/similar?k=10`: the k items whose embeddings are nearest (cosine) to this
 * item's, the item itself excluded. Unknown item → 404. Served by `fastTopKRoutes`.
 */
export function similarItems(models: ModelRegistry, id: string, query: unknown): TopKAnswer {
  const { k } = parseRequest(similarQuery, query, 'query parameter');
  const model = requireModel(models);
  const vector = model.items.vectorOf(id);
  if (vector === undefined) throw new HttpError(404, 'unknown_item', `unknown item "${id}" (not in model ${model.version})`);
  return toAnswer(model.version, model.index.search(vector, k + 1), k, (other) => other === id);
}
