import { z } from 'zod';
import { servedVersion } from '../answer-schemas.js';
import type { ModelRegistry } from '../model-registry.js';
import { defineRoute, type Route } from '../route.js';

/**
 * `GET /healthz`: 200 while the process can answer HTTP (liveness), with the served version
 * (null before the first model), the last model-load error (for a readiness check to read) and
 * the answering process id (with `--workers N`, which worker answered).
 */
export function healthRoute(models: ModelRegistry): Route {
  return defineRoute({
    method: 'GET',
    path: '/healthz',
    summary: 'Liveness: the served version, the index size, the last model-load error and the answering process',
    response: z.object({ status: z.literal('ok'), model: servedVersion, items: z.int().min(0), lastError: z.string().nullable(), pid: z.int() }),
    answer: () => {
      const current = models.current();
      return { status: 'ok', model: current?.version ?? null, items: current?.index.size ?? 0, lastError: models.lastError ?? null, pid: process.pid };
    },
  });
}
