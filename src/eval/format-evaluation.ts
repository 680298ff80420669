import type { StoredEvaluation } from './evaluate-stored-model.js';

const f = (x: number | null): string => (x === null ? '-' : x.toFixed(4));

/**
 * The human-readable form of an evaluation: a header line (model, split, users, catalogue), one
 * table row per K (Recall, NDCG, HitRate, coverage, head and tail recall), the embedding-quality
 * line, and — only when something was skipped — what and why.
 */
export function formatEvaluation(r: StoredEvaluation, source: string): string {
  const rows = [
    ['K', 'Recall', 'NDCG', 'HitRate', 'Coverage', 'HeadRecall', 'TailRecall'],
    ...r.atK.map((m) => [String(m.k), f(m.recall), f(m.ndcg), f(m.hitRate), f(m.coverage), f(m.headRecall), f(m.tailRecall)]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const lines = [
    `model ${r.version} · ${r.split} split (${source}) · ${r.evaluatedUsers} users · ${r.catalogueItems} items ranked`,
    ...rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')),
    `alignment ${r.quality.alignment.toFixed(4)} · uniformity users ${r.quality.userUniformity.toFixed(4)}, items ${r.quality.itemUniformity.toFixed(4)}`,
  ];
  if (r.unknownUserRows > 0) lines.push(`skipped ${r.unknownUserRows} rows of ${r.unknownUsers} users the model does not know`);
  if (r.unknownItemRows > 0) lines.push(`skipped ${r.unknownItemRows} rows whose item is not in the model's catalogue`);
  if (r.belowMinRatingRows > 0) lines.push(`left ${r.belowMinRatingRows} rows rated below --test-min-rating out of the truth (they stay in the ranking)`);
  return `${lines.join('\n')}\n`;
}
