import type { FeatureKind, FeatureValue } from '../store/index.js';
import { widenKind } from '../store/index.js';
import type { HeaderColumn } from './columns.js';
import { DEFAULT_MISSING_VALUES, type FeatureCellRules } from './feature-cell-rules.js';
import { checkFeatureName } from './record-rules.js';

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Turns the cells of one user/item row into features, and widens the inferred kind of each
 * column as values are seen. Declared columns (`name:type` headers) are parsed by their type:
 * `float` must be a number, `token_seq` is split on spaces in atomic files and on the multi
 * separator elsewhere. Undeclared columns are inferred: a value with the multi separator is
 * multi-valued; a column whose values all parse as numbers is numeric (values are stored as
 * text and read back as numbers); anything else is categorical. Empty cells and the
 * `missingValues` are missing: they neither reject a row nor widen a column's kind. Columns
 * in `ignoreCols` are no features at all; given `multiCols`, only those undeclared columns are
 * split (and are multi-valued even where a value holds one token).
 */
export class FeatureColumns {
  /** Kind of each feature column seen so far (declared, or inferred and widened). */
  readonly kinds = new Map<string, FeatureKind>();
  private readonly skip: readonly boolean[];
  /** Per column: split on the multi separator (named by multiCols). */
  private readonly multi: readonly boolean[];
  /** No multiCols given: a value holding the separator makes its column multi-valued. */
  private readonly inferMulti: boolean;
  private readonly ignored: ReadonlySet<string>;
  private readonly missing: ReadonlySet<string>;

  constructor(
    private readonly header: readonly HeaderColumn[],
    idColumn: number,
    private readonly seqSep: string,
    private readonly multiSep: string,
    rules: FeatureCellRules = {},
  ) {
    this.ignored = new Set((rules.ignoreCols ?? []).map((c) => c.toLowerCase()));
    this.missing = new Set(['', ...(rules.missingValues ?? DEFAULT_MISSING_VALUES)]);
    this.skip = header.map((h, k) => k === idColumn || this.ignored.has(h.name.toLowerCase()));
    const multiCols = new Set((rules.multiCols ?? []).map((c) => c.toLowerCase()));
    this.multi = header.map((h) => multiCols.has(h.name.toLowerCase()));
    this.inferMulti = rules.multiCols === undefined;
  }

  /** Features of one row (cells beyond the header's width are not read), or the reason it is rejected. */
  parse(cells: readonly string[]): Record<string, FeatureValue> | string {
    const out: Record<string, FeatureValue> = {};
    for (let k = 0; k < this.header.length; k++) {
      if (this.skip[k]) continue;
      const { name, declared } = this.header[k];
      const v = cells[k].trim();
      if (this.missing.has(v)) continue;
      if (declared === 'numeric') {
        const x = NUMBER.test(v) ? Number(v) : NaN;
        if (!Number.isFinite(x)) return `bad number in ${name}: "${v}"`;
        out[name] = x;
      } else if (declared === 'multi') {
        out[name] = splitTokens(v, this.seqSep);
      } else if (declared === 'categorical') {
        out[name] = v;
      } else if (this.multi[k] || (this.inferMulti && v.includes(this.multiSep))) {
        out[name] = splitTokens(v, this.multiSep);
        this.see(name, 'multi');
      } else {
        out[name] = v;
        this.see(name, NUMBER.test(v) ? 'numeric' : 'categorical');
      }
      if (declared !== undefined) this.see(name, declared);
    }
    return out;
  }

  /** Features of one JSON Lines object (arrays → multi, numbers → numeric, strings → categorical). */
  parseJson(obj: Readonly<Record<string, unknown>>, idKey: string): Record<string, FeatureValue> | string {
    const out: Record<string, FeatureValue> = {};
    for (const [name, v] of Object.entries(obj)) {
      if (name === idKey || v === null || v === undefined || this.ignored.has(name.toLowerCase())) continue;
      const reserved = checkFeatureName(name);
      if (reserved !== undefined) return reserved;
      if (Array.isArray(v)) {
        if (!v.every((e) => typeof e === 'string' || typeof e === 'number')) return `bad value in ${name}: ${JSON.stringify(v)}`;
        out[name] = v.map(String);
        this.see(name, 'multi');
      } else if (typeof v === 'number' && Number.isFinite(v)) {
        out[name] = v;
        this.see(name, 'numeric');
      } else if (typeof v === 'string' || typeof v === 'boolean') {
        if (typeof v === 'string' && this.missing.has(v.trim())) continue;
        out[name] = String(v);
        this.see(name, 'categorical');
      } else {
        return `bad value in ${name}: ${JSON.stringify(v)}`;
      }
    }
    return out;
  }

  private see(name: string, kind: FeatureKind): void {
    const old = this.kinds.get(name);
    this.kinds.set(name, old === undefined ? kind : widenKind(old, kind));
  }
}

function splitTokens(v: string, sep: string): string[] {
  return v
    .split(sep)
    .map((t) => t.trim())
    .filter((t) => t !== '');
}
