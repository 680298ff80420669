import type { FeatureKind, FeatureValue } from '../store/index.js';
import { INTERACTION_FIELD_NAMES } from './columns.js';
import { FeatureColumns } from './entity-features.js';
import type { IngestOptions } from './ingest-options.js';
import { delimiterOf } from './input-format.js';
import type { PreparedFile } from './prepare-files.js';
import { checkId } from './record-rules.js';
import { splitDelimited } from './split-delimited.js';
import { jsonLineObject } from './json-line-object.js';

/** One user's or item's row as parsed: its external id and its features. */
export interface EntityRow {
  readonly id: string;
  readonly features: Readonly<Record<string, FeatureValue>>;
}

/**
 * Parses the data lines of one users/items file (delimited or JSON Lines) into an id and
 * features, or the reason a line is refused, and widens each feature column's kind as it goes.
 */
export class EntityLineParser {
  private readonly features: FeatureColumns;
  private readonly idColumn: number;
  /** JSON Lines keys that may hold the id, in order of preference. */
  private readonly idKeys: readonly string[];

  constructor(
    private readonly file: PreparedFile,
    private readonly entity: 'user' | 'item',
    opts: IngestOptions,
  ) {
    this.idColumn = file.idColumn ?? -1;
    this.features = new FeatureColumns(file.header, this.idColumn, file.format === 'atomic' ? ' ' : opts.multiSep, opts.multiSep, opts);
    const flag = entity === 'user' ? opts.userCol : opts.itemCol;
    this.idKeys = flag !== undefined ? [flag] : [...INTERACTION_FIELD_NAMES[entity], 'id'];
  }

  /** Kind of each feature column over the lines parsed so far. */
  get kinds(): ReadonlyMap<string, FeatureKind> {
    return this.features.kinds;
  }

  /** The row one line holds, or why it is refused. */
  parse(line: string): EntityRow | string {
    const { format } = this.file;
    return format === 'jsonl' ? this.parseJson(line) : this.parseDelimited(line, delimiterOf(format));
  }

  private parseJson(line: string): EntityRow | string {
    const o = jsonLineObject(line);
    if (typeof o === 'string') return o;
    const idKey = this.idKeys.find((key) => typeof o[key] === 'string' || typeof o[key] === 'number');
    if (idKey === undefined) return this.missingId();
    return this.checked(String(o[idKey]).trim(), this.features.parseJson(o, idKey));
  }

  private parseDelimited(line: string, delimiter: string): EntityRow | string {
    const { header } = this.file;
    const cells = splitDelimited(line, delimiter);
    if (cells === undefined) return 'unbalanced quotes';
    if (cells.length !== header.length && !onlyTrailingEmpty(cells, header.length)) {
      return `expected ${header.length} fields, found ${cells.length}`;
    }
    return this.checked(cells[this.idColumn].trim(), this.features.parse(cells));
  }

  /** The row, or why it is refused; the features are parsed (and kinds widened) before the id is checked. */
  private checked(id: string, features: EntityRow['features'] | string): EntityRow | string {
    if (id === '') return this.missingId();
    const bad = checkId(id, `${this.entity} id`);
    if (bad !== undefined) return bad;
    return typeof features === 'string' ? features : { id, features };
  }

  private missingId(): string {
    return `missing ${this.entity} id`;
  }
}

/**
 * True when the cells past `width` are all empty: a delimiter at the end of every line (as
 * book-crossing's feature files have) adds a field that holds nothing, whereas a stray
 * delimiter inside a value shifts every later column, and that row must be rejected.
 */
function onlyTrailingEmpty(cells: readonly string[], width: number): boolean {
  if (cells.length < width) return false;
  for (let k = width; k < cells.length; k++) if (cells[k].trim() !== '') return false;
  return true;
}
