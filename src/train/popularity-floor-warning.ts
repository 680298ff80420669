import type { MostPopularMetrics, ValidationMetrics } from './evaluate-model.js';

/**
 * The lines to print when the kept model ranks worse on validation than ordering every item by
 * its training popularity, or undefined when it does not (or there is no validation data).
 * Loud on purpose: such a model still registers (and may become active), and a quietly bad
 * model is the failure this exists to prevent. Pure.
 *
 * @example
 *   popularityFloorWarning({ 'recall@20': 0.02, mostPop: { 'recall@20': 0.15, 'ndcg@20': 0.1 } })?.forEach((l) => console.error(l));
 */
export function popularityFloorWarning(best: ValidationMetrics & { readonly mostPop: MostPopularMetrics | null }): string[] | undefined {
  if (best['recall@20'] === null || best.mostPop === null || !(best['recall@20'] < best.mostPop['recall@20'])) return undefined;
  const bar = '!'.repeat(78);
  return [
    bar,
    'WARNING: this model is WORSE than ranking items by popularity.',
    `WARNING:   validation recall@20 ${best['recall@20'].toFixed(4)} < most-popular ${best.mostPop['recall@20'].toFixed(4)} (same users, same split)`,
    'WARNING:   recommending every user the most popular items they have not seen would do better.',
    'WARNING:   try --tune, or --no-history (a user tower without the history bag).',
    bar,
  ];
}
