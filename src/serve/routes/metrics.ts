import { defineRoute, TextAnswer, type Route } from '../route.js';
import type { ServeMetrics } from '../serve-metrics.js';

/** `GET /metrics`: the Prometheus scrape (text exposition format) of this process's registry. */
export function metricsRoute(metrics: ServeMetrics): Route {
  return defineRoute({
    method: 'GET',
    path: '/metrics',
    summary: 'Prometheus metrics: requests and latency per route, the served version, the index size',
    response: { text: 'text/plain' },
    answer: async () => new TextAnswer(metrics.registry.contentType, await metrics.registry.metrics()),
  });
}
