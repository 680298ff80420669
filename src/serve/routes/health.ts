import { Router } from 'express';
import type { ModelRegistry } from '../model-registry.js';

/**
 * `GET /healthz`: 200 while the process can answer HTTP (liveness), with the served version
 * (null before the first model), the last model-load error (for a readiness check to read) and
 * the answering process id (with `--workers N`, which worker answered).
 */
export function healthRoutes(models: ModelRegistry): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const current = models.current();
    res.json({ status: 'ok', model: current?.version ?? null, items: current?.index.size ?? 0, lastError: models.lastError ?? null, pid: process.pid });
  });
  return router;
}
