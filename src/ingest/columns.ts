import { UserError } from '../common/user-error.js';
import type { FeatureKind } from '../store/index.js';

/** Column-name overrides from the command line (`--user-col` and friends). */
export interface ColumnFlags {
  readonly userCol?: string;
  readonly itemCol?: string;
  readonly timeCol?: string;
  readonly ratingCol?: string;
  /** A numeric strength (play hours, counts) stored as the weight; wins over the rating. */
  readonly weightCol?: string;
  readonly eventCol?: string;
}

/** Just the column flags of `flags` (which may be a wider options object), e.g. to send to a worker thread. */
export function columnFlagsOf(flags: ColumnFlags): ColumnFlags {
  const { userCol, itemCol, timeCol, ratingCol, weightCol, eventCol } = flags;
  return { userCol, itemCol, timeCol, ratingCol, weightCol, eventCol };
}

/** The logical fields of an interaction and the header names recognised for each. */
export const INTERACTION_FIELD_NAMES = {
  user: ['user_id', 'user', 'userid'],
  item: ['item_id', 'item', 'itemid'],
  time: ['timestamp', 'ts', 'time'],
  rating: ['rating', 'weight'],
  // Only by --weight-col: a header named `weight` keeps meaning the rating, as it always has.
  weight: [],
  event: ['event', 'event_type'],
} as const;

type LogicalField = keyof typeof INTERACTION_FIELD_NAMES;

const FLAG_OF: Readonly<Record<LogicalField, keyof ColumnFlags>> = {
  user: 'userCol',
  item: 'itemCol',
  time: 'timeCol',
  rating: 'ratingCol',
  weight: 'weightCol',
  event: 'eventCol',
};

/** A header column: its name (type suffix removed) and the type declared by a `name:type` suffix. */
export interface HeaderColumn {
  readonly name: string;
  readonly declared: FeatureKind | undefined;
}

const TYPE_SUFFIX: Readonly<Record<string, FeatureKind>> = {
  token: 'categorical',
  token_seq: 'multi',
  float: 'numeric',
  float_seq: 'multi',
};

/** Parses header cells, splitting off RecBole-style `:token|token_seq|float|float_seq` suffixes. */
export function parseHeader(cells: readonly string[]): HeaderColumn[] {
  return cells.map((cell, k) => {
    const text = (k === 0 ? cell.replace(/^\uFEFF/, '') : cell).trim();
    const m = /^(.*):(token|token_seq|float|float_seq)$/.exec(text);
    return m === null ? { name: text, declared: undefined } : { name: m[1], declared: TYPE_SUFFIX[m[2]] };
  });
}

/** Where each interaction field is: a column index, or -1 when the optional field is absent. */
export type InteractionColumnMap = Readonly<Record<LogicalField, number>>;

/**
 * Finds the user, item (required) and time, rating, weight, event (optional) columns among
 * `names`, by flag or by the usual names (case-insensitive). Without a time column the file's
 * interactions are untimed. When the weight and the rating would be the same column, it is
 * read as the weight only (its stricter rule applies). Throws a one-line {@link UserError}
 * naming the file and what is missing.
 */
export function resolveInteractionColumns(file: string, names: readonly string[], flags: ColumnFlags): InteractionColumnMap {
  const lower = names.map((n) => n.toLowerCase());
  const find = (field: LogicalField, required: boolean): number => {
    const flag = flags[FLAG_OF[field]];
    if (flag !== undefined) {
      const k = lower.indexOf(flag.toLowerCase());
      if (k < 0) throw new UserError(`${file}: header has no column "${flag}" (given by --${kebab(FLAG_OF[field])})`);
      return k;
    }
    for (const candidate of INTERACTION_FIELD_NAMES[field]) {
      const k = lower.indexOf(candidate);
      if (k >= 0) return k;
    }
    if (required) {
      throw new UserError(
        `${file}: header has no ${field} column (expected one of ${INTERACTION_FIELD_NAMES[field].join(', ')}, or --${kebab(FLAG_OF[field])})`,
      );
    }
    return -1;
  };
  const weight = find('weight', false);
  const rating = find('rating', false);
  return {
    user: find('user', true),
    item: find('item', true),
    time: find('time', false),
    rating: rating === weight ? -1 : rating,
    weight,
    event: find('event', false),
  };
}

/**
 * Finds the id column of a user or item file: `--user-col`/`--item-col`, else `user_id`/`user`
 * (resp. `item_id`/`item`), else `id`.
 */
export function resolveIdColumn(file: string, names: readonly string[], entity: 'user' | 'item', flags: ColumnFlags): number {
  const lower = names.map((n) => n.toLowerCase());
  const flag = entity === 'user' ? flags.userCol : flags.itemCol;
  const flagName = entity === 'user' ? 'user-col' : 'item-col';
  if (flag !== undefined) {
    const k = lower.indexOf(flag.toLowerCase());
    if (k < 0) throw new UserError(`${file}: header has no column "${flag}" (given by --${flagName})`);
    return k;
  }
  const candidates = [...INTERACTION_FIELD_NAMES[entity], 'id'];
  for (const c of candidates) {
    const k = lower.indexOf(c);
    if (k >= 0) return k;
  }
  throw new UserError(`${file}: header has no ${entity} id column (expected one of ${candidates.join(', ')}, or --${flagName})`);
}

function kebab(flag: string): string {
  return flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
