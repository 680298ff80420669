import type { Features } from './api.js';

/**
 * An item's categorical and multi-valued feature values as `field=value` tokens, the unit in which
 * "shares features with" is judged. Names (title, name) and numbers (price) are left out: they
 * are almost never equal and say nothing about a shared taste.
 */
export function featureTokens(features: Features): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(features)) {
    if (k === 'title' || k === 'name' || typeof v === 'number') continue;
    for (const t of Array.isArray(v) ? v : [v]) out.add(`${k}=${t}`);
  }
  return out;
}
