import { Router } from 'express';
import { z } from 'zod';
import { HttpError } from '../http-error.js';
import type { ModelRegistry } from '../model-registry.js';
import { parseRequest } from '../parse-request.js';
import { kParam } from '../query-params.js';
import { requireModel } from '../require-model.js';
import { toAnswer } from '../to-answer.js';

const similarQuery = z.object({ k: kParam });

/**
 * `GET /v1/items/:id/similar?k=10`: the k items whose embeddings are nearest (cosine) to this
 * item's, the item itself excluded. Unknown item → 404.
 */
export function itemRoutes(models: ModelRegistry): Router {
  const router = Router();
  router.get('/v1/items/:id/similar', (req, res) => {
    const { k } = parseRequest(similarQuery, req.query, 'query parameter');
    const model = requireModel(models);
    const { id } = req.params;
    const vector = model.items.vectorOf(id);
    if (vector === undefined) throw new HttpError(404, 'unknown_item', `unknown item "${id}" (not in model ${model.version})`);
    res.json(toAnswer(model.version, model.index.search(vector, k + 1), k, (other) => other === id));
  });
  return router;
}
