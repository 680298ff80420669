import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../common/user-error.js';
import type { BatchKind } from '../store/index.js';
import { resolveIdColumn, resolveInteractionColumns, parseHeader, type ColumnFlags, type HeaderColumn, type InteractionColumnMap } from './columns.js';
import type { FeatureCellRules } from './feature-cell-rules.js';
import { delimiterOf, detectFormat, type InputFormat } from './input-format.js';
import { readLineChunks } from './line-reader.js';
import { checkFeatureName, duplicateColumn } from './record-rules.js';
import { splitDelimited } from './split-delimited.js';

/** A checked input file: readable, non-empty, with its format and (for delimited files) its columns. */
export interface PreparedFile {
  /** The path as the user gave it (used in messages and rejected rows). */
  readonly file: string;
  readonly absPath: string;
  readonly bytes: number;
  readonly format: InputFormat;
  /** Line number of the header (0 for JSON Lines, which has none). */
  readonly headerLine: number;
  readonly header: readonly HeaderColumn[];
  /** For interaction files in a delimited format. */
  readonly columns?: InteractionColumnMap;
  /** For user/item files in a delimited format. */
  readonly idColumn?: number;
  /** A delimited file with a header and not one data line (the command warns). */
  readonly headerOnly: boolean;
}

/**
 * Checks every file before the database is opened for writing: it exists, is not empty, and
 * (for CSV, TSV and atomic files) its header names the required columns, and every
 * `--ignore-cols` and `--multi-cols` name is a column of at least one of them (a typo would
 * otherwise silently change the features). Any problem is a one-line {@link UserError} (exit 2), so a bad command
 * never touches the database.
 */
export async function prepareFiles(
  kind: BatchKind,
  files: readonly string[],
  opts: ColumnFlags & Pick<FeatureCellRules, 'ignoreCols' | 'multiCols'> & { readonly format?: InputFormat },
): Promise<PreparedFile[]> {
  if (files.length === 0) throw new UserError('no input files given');
  const out: PreparedFile[] = [];
  for (const file of files) {
    const absPath = path.resolve(file);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absPath);
    } catch {
      throw new UserError(`${file}: no such file`);
    }
    if (!stat.isFile()) throw new UserError(`${file}: not a regular file`);
    const first = await readHead(file, absPath);
    const format = detectFormat(file, first.text, opts.format);
    if (format === 'jsonl') {
      out.push({ file, absPath, bytes: stat.size, format, headerLine: 0, header: [], headerOnly: false });
      continue;
    }
    const cells = splitDelimited(first.text, delimiterOf(format));
    if (cells === undefined) throw new UserError(`${file}:${first.line}: malformed header (unbalanced quotes)`);
    const header = parseHeader(cells);
    const names = header.map((h) => h.name);
    const twice = duplicateColumn(names);
    if (twice !== undefined) throw new UserError(`${file}:${first.line}: duplicate header column "${twice.name}" (columns ${twice.first} and ${twice.second})`);
    const base = { file, absPath, bytes: stat.size, format, headerLine: first.line, header, headerOnly: !first.more };
    if (kind === 'interactions') out.push({ ...base, columns: resolveInteractionColumns(file, names, opts) });
    else {
      const idColumn = resolveIdColumn(file, names, kind === 'users' ? 'user' : 'item', opts);
      checkFeatureNames(file, names, idColumn, opts.ignoreCols ?? []);
      out.push({ ...base, idColumn });
    }
  }
  checkNamedColumns(out, opts.ignoreCols ?? [], 'ignore-cols');
  checkNamedColumns(out, opts.multiCols ?? [], 'multi-cols');
  return out;
}

/**
 * The first non-empty line of a file (its header, for delimited formats), its 1-based number
 * and whether another non-empty line follows. Reads only as far as needed; a file that cannot
 * be read (a `.gz` that is not gzip) or holds nothing is a {@link UserError} naming it once.
 */
async function readHead(file: string, absPath: string): Promise<{ readonly text: string; readonly line: number; readonly more: boolean }> {
  let first: { text: string; line: number } | undefined;
  try {
    for await (const chunk of readLineChunks(absPath)) {
      for (let k = 0; k < chunk.lines.length; k++) {
        if (chunk.lines[k].trim() === '') continue;
        if (first !== undefined) return { ...first, more: true };
        first = { text: chunk.lines[k], line: chunk.firstLine + k };
      }
    }
  } catch (err) {
    // The reader's own errors already say "ABSPATH: cannot read: ..."; said once, with the path as given.
    const message = err instanceof Error ? err.message : String(err);
    const cause = message.startsWith(`${absPath}: cannot read: `) ? message.slice(absPath.length + 15) : message;
    const hint = file.endsWith('.gz') && cause === 'incorrect header check' ? ' (not a gzip file)' : '';
    throw new UserError(`${file}: cannot read: ${cause}${hint}`);
  }
  if (first === undefined) throw new UserError(`${file}: file is empty`);
  return { ...first, more: false };
}

/** Refuses a feature column named like an object internal (`__proto__`, `constructor`, …) unless it is the id or ignored. */
function checkFeatureNames(file: string, names: readonly string[], idColumn: number, ignoreCols: readonly string[]): void {
  const ignored = new Set(ignoreCols.map((c) => c.toLowerCase()));
  names.forEach((name, k) => {
    const reserved = k === idColumn || ignored.has(name.toLowerCase()) ? undefined : checkFeatureName(name);
    if (reserved !== undefined) throw new UserError(`${file}: header column ${k + 1}: ${reserved} (rename it, or --ignore-cols ${name})`);
  });
}

/** JSON Lines files have no header to check against, so with one among them any name passes. */
function checkNamedColumns(files: readonly PreparedFile[], names: readonly string[], flag: string): void {
  if (files.some((f) => f.format === 'jsonl')) return;
  for (const name of names) {
    const lower = name.toLowerCase();
    if (!files.some((f) => f.header.some((h) => h.name.toLowerCase() === lower))) {
      const what = files.length === 1 ? `${files[0].file}: header has no column` : "no given file's header has a column";
      throw new UserError(`${what} "${name}" (given by --${flag})`);
    }
  }
}
