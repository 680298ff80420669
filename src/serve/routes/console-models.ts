import { isoOrNull } from '../../common/iso-time.js';
import { z } from 'zod';
import { isoTimeOrNull } from '../answer-schemas.js';
import { HttpError } from '../http-error.js';
import type { ModelRegistry } from '../model-registry.js';
import { defineRoute, type Route, type RouteGuard } from '../route.js';
import type { ConsoleData } from './console-data.js';
import { requireData } from './console-items.js';

const iso = isoOrNull;

/**
 * Per-epoch training curves when the model's metrics carry them (`metrics.history`: the trainer's
 * epoch logs — epoch, loss parts, recall@20, ndcg@20, alignment, uniformity); null otherwise.
 */
function curvesOf(metrics: unknown): unknown[] | null {
  const history = typeof metrics === 'object' && metrics !== null ? (metrics as Record<string, unknown>)['history'] : undefined;
  return Array.isArray(history) ? history : null;
}

/**
 * `GET /console/api/models/:version`: one registered version in full — status, whether this
 * process serves it, when it was trained, the data window, config, metrics, the failure reason of
 * a failed run and its training curves when recorded (`curves`, else null). Unknown version → 404.
 */
export function consoleModelRoute(models: ModelRegistry, data: ConsoleData | undefined, guards: readonly RouteGuard[]): Route {
  return defineRoute({
    method: 'GET',
    path: '/console/api/models/:version',
    summary: 'One registered model version in full: status, data window, config, metrics, failure reason, training curves',
    guards,
    auth: 'read',
    response: z.object({
      version: z.string(),
      status: z.enum(['training', 'ready', 'active', 'failed', 'retired']),
      serving: z.boolean(),
      createdAt: isoTimeOrNull,
      finishedAt: isoTimeOrNull,
      dataFrom: isoTimeOrNull,
      dataTo: isoTimeOrNull,
      reason: z.string().nullable(),
      metrics: z.record(z.string(), z.unknown()),
      config: z.unknown(),
      curves: z.array(z.unknown()).nullable(),
    }),
    errors: [404, 501, 503],
    answer: async ({ params: { version } }) => {
      const m = await requireData(data).getModel(version);
      if (m === undefined) throw new HttpError(404, 'unknown_model', `unknown model version "${version}"`);
      const { history: _history, ...metrics } = (typeof m.metrics === 'object' && m.metrics !== null ? m.metrics : {}) as Record<string, unknown>;
      return {
        version: m.version,
        status: m.status,
        serving: models.current()?.version === m.version,
        createdAt: iso(m.createdAt),
        finishedAt: iso(m.finishedAt),
        dataFrom: iso(m.dataFrom),
        dataTo: iso(m.dataTo),
        reason: m.reason,
        metrics,
        config: m.config,
        curves: curvesOf(m.metrics),
      };
    },
  });
}
