import type { FeatureKind, FeatureValue } from '../store/index.js';
import { widenKind } from '../store/index.js';
import type { HeaderColumn } from './columns.js';

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Turns the cells of one user/item row into features, and widens the inferred kind of each
 * column as values are seen. Declared columns (`name:type` headers) are parsed by their type:
 * `float` must be a number, `token_seq` is split on spaces in atomic files and on the multi
 * separator elsewhere. Undeclared columns are inferred: a value with the multi separator is
 * multi-valued; a column whose values all parse as numbers is numeric (values are stored as
 * text and read back as numbers); anything else is categorical. Empty cells are missing.
 */
export class FeatureColumns {
  /** Kind of each feature column seen so far (declared, or inferred and widened). */
  readonly kinds = new Map<string, FeatureKind>();

  constructor(
    private readonly header: readonly HeaderColumn[],
    private readonly idColumn: number,
    private readonly seqSep: string,
    private readonly multiSep: string,
  ) {}

  /** Features of one row, or the reason it is rejected. */
  parse(cells: readonly string[]): Record<string, FeatureValue> | string {
    const out: Record<string, FeatureValue> = {};
    for (let k = 0; k < this.header.length; k++) {
      if (k === this.idColumn) continue;
      const { name, declared } = this.header[k];
      const v = cells[k].trim();
      if (v === '') continue;
      if (declared === 'numeric') {
        const x = NUMBER.test(v) ? Number(v) : NaN;
        if (!Number.isFinite(x)) return `bad number in ${name}: "${v}"`;
        out[name] = x;
      } else if (declared === 'multi') {
        out[name] = splitTokens(v, this.seqSep);
      } else if (declared === 'categorical') {
        out[name] = v;
      } else if (v.includes(this.multiSep)) {
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
      if (name === idKey || v === null || v === undefined) continue;
      if (Array.isArray(v)) {
        if (!v.every((e) => typeof e === 'string' || typeof e === 'number')) return `bad value in ${name}: ${JSON.stringify(v)}`;
        out[name] = v.map(String);
        this.see(name, 'multi');
      } else if (typeof v === 'number' && Number.isFinite(v)) {
        out[name] = v;
        this.see(name, 'numeric');
      } else if (typeof v === 'string' || typeof v === 'boolean') {
        if (v === '') continue;
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
  return v.split(sep).map((t) => t.trim()).filter((t) => t !== '');
}
