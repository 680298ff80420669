import fs, { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll } from 'vitest';
import {
  ingestFiles,
  parseMaxErrors,
  prepareFiles,
  type ColumnFlags,
  type FeatureCellRules,
  type IngestSummary,
  type InputFormat,
  type RecordRules,
} from '../../src/ingest/index.js';
import type { BatchKind, Store } from '../../src/store/index.js';
import { skipWithout } from '../missing-dependency.js';

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp directory, removed after the test file's last test. */
export function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrarec-test-'));
  created.push(dir);
  return dir;
}

/** Writes `text` (or raw bytes) to `dir/name`, gzipping when the name ends in `.gz`. */
export function writeInput(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  fs.writeFileSync(file, name.endsWith('.gz') ? zlib.gzipSync(bytes) : bytes);
  return file;
}

/** Runs the same prepare + ingest path as `contrarec ingest`. */
export async function ingest(
  store: Store,
  kind: BatchKind,
  files: string[],
  opts: ColumnFlags & FeatureCellRules & { format?: InputFormat; maxErrors?: string; multiSep?: string; chunkRows?: number; rules?: RecordRules } = {},
): Promise<IngestSummary> {
  const prepared = await prepareFiles(kind, files, opts);
  return ingestFiles(store, kind, prepared, {
    ...opts,
    maxErrors: parseMaxErrors(opts.maxErrors),
    multiSep: opts.multiSep ?? '|',
  });
}

/** Repository root, for `../shared` lookups. */
export const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/**
 * `../shared/<rel>` (the datasets next to the repository, never copied into it), or undefined
 * after a warning when it is absent, so that its tests skip on a machine without it. Under
 * CI=true an absent folder throws instead: there a skipped test would pass unnoticed.
 *
 * @example
 *   const DIR = sharedPath('datasets/anime');
 *   describe.skipIf(DIR === undefined)('anime', () => { ... });
 */
export function sharedPath(rel: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = path.join(REPO_ROOT, '../shared', rel);
  return skipWithout(dir, !existsSync(dir), 'the suite data beside the repository', env) ? undefined : dir;
}
