/**
 * Cell values that mean "no value" in published feature files: a numeric column with
 * "Unknown" episodes stays numeric instead of turning categorical (or, declared `float`,
 * rejecting the row). Matched against the whole trimmed cell, case-sensitively, so that a
 * genre token such as ml-100k's `unknown` is kept. Empty cells are always missing.
 */
export const DEFAULT_MISSING_VALUES: readonly string[] = ['', 'Unknown', 'NA', 'N/A', 'null', 'NaN'];

/** How the cells of a users/items file become features: `--ignore-cols`, `--multi-cols`, `--missing-values`. */
export interface FeatureCellRules {
  /** Columns that are not features (matched case-insensitively, like the id column flags). */
  readonly ignoreCols?: readonly string[];
  /**
   * The only columns split on the multi separator (case-insensitive). Undefined: any column
   * with a value holding the separator is multi-valued, which a free-text column (a title
   * with ", " or "|") trips over.
   */
  readonly multiCols?: readonly string[];
  /** Cell values read as missing; replaces {@link DEFAULT_MISSING_VALUES} (empty stays missing). */
  readonly missingValues?: readonly string[];
}

/**
 * Splits a comma-separated flag value into trimmed, non-empty entries (so `--missing-values ""`
 * is an empty list: only empty cells are missing).
 *
 * @example
 *   parseListFlag('Image-URL-S, Image-URL-M')   // ['Image-URL-S', 'Image-URL-M']
 */
export function parseListFlag(value: string): string[] {
  return value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}
