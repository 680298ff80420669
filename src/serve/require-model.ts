import { HttpError } from './http-error.js';
import type { ModelRegistry } from './model-registry.js';
import type { ModelSnapshot } from './model-snapshot.js';

/**
 * The snapshot a request answers with, taken once; a 503 saying how to get a model when none is
 * loaded yet.
 */
export function requireModel(models: ModelRegistry): ModelSnapshot {
  const snapshot = models.current();
  if (snapshot === undefined) {
    const why = models.lastError ? ` (last load failed: ${models.lastError})` : '';
    throw new HttpError(503, 'no_model', `no model is loaded yet${why}: train one with \`contrarec train\`, then it is served automatically once active`);
  }
  return snapshot;
}
