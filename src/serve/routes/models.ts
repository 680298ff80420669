import { z } from 'zod';
import { servedVersion } from '../answer-schemas.js';
import type { ModelRegistry } from '../model-registry.js';
import { defineRoute, type Route } from '../route.js';

/** One registered model as `GET /v1/models` lists it. */
export interface ModelListEntry {
  readonly version: string;
  /** training, ready, active, failed or retired. */
  readonly status: string;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly metrics: unknown;
}

/** Lists the registry's models, newest first (the store's models table). */
export type ModelLister = () => Promise<readonly ModelListEntry[]>;

/** The per-epoch history can be long: the list leaves it out (`GET /console/api/models/:version` has it as `curves`). */
function withoutHistory(entry: ModelListEntry): ModelListEntry {
  if (typeof entry.metrics !== 'object' || entry.metrics === null) return entry;
  const { history: _history, ...metrics } = entry.metrics as Record<string, unknown>;
  return { ...entry, metrics };
}

/**
 * `GET /v1/models`: every registered version with its status and metrics, and which version
 * this process is serving right now (it follows `active` within the watch interval). Without a
 * store (serving one artifact folder) only the served version is listed.
 */
export function modelListRoute(models: ModelRegistry, listModels: ModelLister | undefined): Route {
  return defineRoute({
    method: 'GET',
    path: '/v1/models',
    summary: 'The registered model versions, their status and metrics, and the one being served',
    response: z.object({
      serving: servedVersion,
      models: z.array(z.object({ version: z.string(), status: z.string(), createdAt: z.string(), finishedAt: z.string().nullable(), metrics: z.unknown() })),
    }),
    errors: [503],
    answer: async () => {
      const current = models.current();
      const list: readonly ModelListEntry[] = listModels
        ? await listModels()
        : current
          ? [
              {
                version: current.version,
                status: 'active',
                createdAt: String(current.manifest['createdAt'] ?? ''),
                finishedAt: null,
                metrics: current.manifest['metrics'] ?? {},
              },
            ]
          : [];
      return { serving: current?.version ?? null, models: list.map(withoutHistory) };
    },
  });
}
