import type { EntityRecord, FeatureField, FeatureValue } from '../store/interaction-log.js';
import { buildVocabulary, lookupRow, OOV_ROW, vocabularyFromTokens, type Vocabulary } from './vocabulary.js';

/**
 * How one side-feature field becomes table rows: a vocabulary for categorical and multi-valued
 * fields, quantile bucket boundaries for numeric ones. Plain data, saved in the model artifact so
 * that serving encodes features exactly as training did.
 */
export interface FeatureSpec {
  readonly name: string;
  readonly kind: FeatureField['kind'];
  /** Vocabulary tokens (categorical/multi); row 0 = OOV. Empty for numeric fields. */
  readonly tokens: readonly string[];
  /** Ascending bucket boundaries (numeric); bucket row = 1 + #boundaries ≤ value, 0 = missing. */
  readonly boundaries: readonly number[];
}

/** Number of embedding-table rows a spec needs (OOV row included). */
export function specRows(spec: FeatureSpec): number {
  return spec.kind === 'numeric' ? spec.boundaries.length + 2 : spec.tokens.length;
}

function tokensOf(value: FeatureValue | undefined): readonly string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (typeof value === 'number') return [String(value)];
  return value;
}

/** Fits a spec on the training entities: min-count vocabulary, or up to `buckets` quantile buckets. */
export function fitFeatureSpec(field: FeatureField, records: readonly EntityRecord[], minCount: number, buckets: number): FeatureSpec {
  if (field.kind === 'numeric') {
    const values = records.map((r) => r.features[field.name]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    values.sort((a, b) => a - b);
    const boundaries = new Set<number>();
    for (let b = 1; b < buckets && values.length > 0; b++) boundaries.add(values[Math.floor((b * values.length) / buckets)]);
    return { name: field.name, kind: field.kind, tokens: [], boundaries: [...boundaries].sort((a, b) => a - b) };
  }
  const counts = new Map<string, number>();
  for (const r of records) for (const t of tokensOf(r.features[field.name])) counts.set(t, (counts.get(t) ?? 0) + 1);
  return { name: field.name, kind: field.kind, tokens: buildVocabulary(counts, minCount).tokens, boundaries: [] };
}

/** Encodes one feature value into table rows; never empty (missing or unseen → the OOV row). */
export function encodeFeature(spec: FeatureSpec, vocab: Vocabulary | undefined, value: FeatureValue | undefined): number[] {
  if (spec.kind === 'numeric') {
    const x = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    if (!Number.isFinite(x)) return [OOV_ROW];
    let row = 1;
    for (const b of spec.boundaries) if (x >= b) row++;
    return [row];
  }
  const v = vocab ?? vocabularyFromTokens(spec.tokens);
  const rows = tokensOf(value).map((t) => lookupRow(v, t));
  return rows.length === 0 ? [OOV_ROW] : rows;
}
