import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ModelRegistry } from './model-registry.js';

/**
 * The service's Prometheus metrics, in a registry of its own (so several apps in one process,
 * as in tests, do not collide): requests and latency per route, the served model version and
 * the index size. With `--workers N` each worker reports its own numbers.
 */
export interface ServeMetrics {
  readonly registry: Registry;
  /** Middleware that times every request and counts it under its route pattern. */
  readonly track: RequestHandler;
  /** Counts and times one answered request (for requests answered outside express). */
  observe(route: string, method: string, status: number, seconds: number): void;
}

/** Creates the metrics of one app; the model gauges read `models.current()` at scrape time. */
export function createServeMetrics(models: ModelRegistry): ServeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'contrarec_' });
  const requests = new Counter({
    name: 'contrarec_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'contrarec_http_request_duration_seconds',
    help: 'Time from receiving a request to finishing its response, by route pattern.',
    labelNames: ['route', 'method'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'contrarec_model_info',
    help: 'The model version being served (value 1, version in the label); absent when none.',
    labelNames: ['version'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const v = models.current()?.version;
      if (v !== undefined) this.set({ version: v }, 1);
    },
  });
  new Gauge({
    name: 'contrarec_index_size',
    help: 'Live items in the served model’s nearest-neighbour index.',
    registers: [registry],
    collect() {
      this.set(models.current()?.index.size ?? 0);
    },
  });
  const observe = (route: string, method: string, status: number, seconds: number): void => {
    requests.inc({ route, method, status: String(status) });
    latency.observe({ route, method }, seconds);
  };
  const track: RequestHandler = (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      // The pattern, not the URL, so ids do not explode the label set.
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      observe(route, req.method, res.statusCode, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  };
  return { registry, track, observe };
}
