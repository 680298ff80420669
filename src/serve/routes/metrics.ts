import { defineRoute, TextAnswer, type Route } from '../route.js';
import type { ServeMetrics } from '../serve-metrics.js';

/** `GET /metrics`: the Prometheus scrape (text exposition format) of this process's registry. */
export function metricsRoute(metrics: ServeMetrics): Route {
  return defineRoute({
    method: 'GET',
    path: '/metrics',
    answer: async () => new TextAnswer(metrics.registry.contentType, await metrics.registry.metrics()),
  });
}
