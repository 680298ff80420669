import { z } from 'zod';
import { metricKey, RANKING_METRICS, type RankingMetric } from './metric-key.js';

// Keys of earlier versions: the cut-off glued to the name (`recall20`, `headRecall20`), and in
// experiment epochs a `valid` prefix (`validRecall20`, `validNdcg20`).
const LEGACY = /^(valid)?([A-Za-z]+?)(\d+)$/;

/** The current key of a legacy metric key, or undefined when `key` is none. */
function currentKey(key: string): string | undefined {
  const m = LEGACY.exec(key);
  if (m === null) return undefined;
  const [, valid, name, k] = m;
  const metric = valid === undefined ? name : name.charAt(0).toLowerCase() + name.slice(1);
  if (valid !== undefined && metric === name) return undefined; // `validrecall20` never was a key
  return (RANKING_METRICS as readonly string[]).includes(metric) ? metricKey(metric as RankingMetric, Number(k)) : undefined;
}

/**
 * A stored value with every metric key of an earlier version renamed to its `metric@K` key, at any
 * depth (a model's best epoch, its `mostPop` floor, each epoch of its `history`, an experiment's
 * runs). A key already in the current form wins over a legacy one that maps onto it. Other values
 * come back as they were.
 */
export function upgradeMetricKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(upgradeMetricKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const renamed = currentKey(k);
    if (renamed === undefined) out[k] = upgradeMetricKeys(v);
    else if (!Object.hasOwn(value, renamed)) out[renamed] = upgradeMetricKeys(v);
  }
  return out;
}

/**
 * `schema` read through {@link upgradeMetricKeys}: what every reader of stored metrics (the
 * registry's rows, manifests, experiment results) parses with, so that figures stored by an
 * earlier version read in the current shape.
 */
export function withCurrentMetricKeys<T extends z.ZodType>(schema: T) {
  return z.preprocess(upgradeMetricKeys, schema);
}
