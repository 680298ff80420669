import path from 'node:path';
import { UserError } from '../common/user-error.js';

/** The input formats contrarec reads. `atomic` is RecBole's tab-separated `name:type` format. */
export const INPUT_FORMATS = ['csv', 'tsv', 'jsonl', 'atomic'] as const;

/** One of {@link INPUT_FORMATS}. */
export type InputFormat = (typeof INPUT_FORMATS)[number];

const BY_EXTENSION: Readonly<Record<string, InputFormat>> = {
  '.inter': 'atomic',
  '.user': 'atomic',
  '.item': 'atomic',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

const ATOMIC_TYPE = /:(token|token_seq|float|float_seq)$/;

/**
 * Decides a file's format: `--format` if given, else its extension (ignoring `.gz`), else its
 * first line (a `{` means JSON Lines; tab-separated `name:type` columns mean atomic; a tab
 * means TSV; anything else is CSV).
 */
export function detectFormat(file: string, firstLine: string, override?: InputFormat): InputFormat {
  if (override !== undefined) return override;
  const base = file.endsWith('.gz') ? file.slice(0, -3) : file;
  const byExt = BY_EXTENSION[path.extname(base).toLowerCase()];
  if (byExt !== undefined) return byExt;
  const head = firstLine.replace(/^\uFEFF/, '').trim();
  if (head.startsWith('{')) return 'jsonl';
  if (head.includes('\t')) return head.split('\t').every((c) => ATOMIC_TYPE.test(c)) ? 'atomic' : 'tsv';
  return 'csv';
}

/** Parses the `--format` flag. */
export function parseFormatFlag(value: string | undefined): InputFormat | undefined {
  if (value === undefined) return undefined;
  if ((INPUT_FORMATS as readonly string[]).includes(value)) return value as InputFormat;
  throw new UserError(`--format must be one of ${INPUT_FORMATS.join(', ')} (got "${value}")`);
}

/** The field delimiter of a delimited format. */
export function delimiterOf(format: Exclude<InputFormat, 'jsonl'>): string {
  return format === 'csv' ? ',' : '\t';
}
