import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../common/user-error.js';
import { DEFAULT_MAX_ERRORS, describeRejects, ingestFiles, prepareFiles, type MaxErrors } from '../ingest/index.js';
import { openStore, readInteractionLog, type InteractionLog } from '../store/index.js';

/** Entity files to load beside the interactions (their features end up in the log's records). */
export interface EntityFiles {
  readonly users?: string;
  readonly items?: string;
}

/** Interaction files read into one log, plus how many rows the readers rejected. */
export interface ReadFilesResult {
  readonly log: InteractionLog;
  readonly rejected: number;
}

/**
 * Reads interaction files (any format `contrarec ingest` accepts) into an {@link InteractionLog}
 * without touching the user's store: the files go through the very same readers and validation
 * as ingest, into a temporary SQLite file that is deleted afterwards. This is how evaluation and
 * experiments read test files and benchmark splits, so there is exactly one parser. More rejected
 * rows than `maxErrors` allows (default: ingest's default) is a {@link UserError} naming the first
 * bad lines.
 *
 * @example
 *   const { log } = await readInteractionFiles(['test.tsv']);
 */
export async function readInteractionFiles(
  files: readonly string[],
  entities: EntityFiles = {},
  maxErrors: MaxErrors = DEFAULT_MAX_ERRORS,
): Promise<ReadFilesResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-read-'));
  const store = await openStore(path.join(dir, 'read.db'));
  const opts = { maxErrors, multiSep: '|' };
  try {
    if (entities.users !== undefined) await ingestFiles(store, 'users', await prepareFiles('users', [entities.users], {}), opts);
    if (entities.items !== undefined) await ingestFiles(store, 'items', await prepareFiles('items', [entities.items], {}), opts);
    const summary = await ingestFiles(store, 'interactions', await prepareFiles('interactions', files, {}), opts);
    if (summary.status !== 'complete') {
      throw new UserError(
        `too many rejected rows in ${files.join(', ')}: ${summary.rejected} of ${summary.rowsRead}\n${describeRejects(summary.firstRejects)}`,
      );
    }
    return { log: await readInteractionLog(store), rejected: summary.rejected };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
