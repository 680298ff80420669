import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { UserError } from './user-error.js';

/**
 * The files contrarec writes as JSON and reads back (a model's manifest, an index's labels, an
 * experiment's results) are read here, so that every such error reads the same and names the
 * file: `FILE: not found (hint)`, `FILE: not valid JSON (…)`, `FILE: field "a.b": message`.
 */

function missing(file: string, hint: string | undefined): UserError {
  return new UserError(`${file}: not found${hint === undefined ? '' : ` (${hint})`}`);
}

/** Parses and validates one JSON file's text; every error names the file, and the first bad field. */
export function parseJsonText<T>(file: string, text: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new UserError(`${file}: field "${issue.path.join('.') || '(root)'}": ${issue.message}`);
}

/** Reads one JSON file through its schema ({@link parseJsonText}); `missingHint` says how to make a missing one. */
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>, missingHint?: string): Promise<T> {
  if (!existsSync(file)) throw missing(file, missingHint);
  return parseJsonText(file, await readFile(file, 'utf8'), schema);
}

/** {@link readJsonFile}, synchronously. */
export function readJsonFileSync<T>(file: string, schema: z.ZodType<T>, missingHint?: string): T {
  if (!existsSync(file)) throw missing(file, missingHint);
  return parseJsonText(file, readFileSync(file, 'utf8'), schema);
}
