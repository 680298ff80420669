import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { resolveDbPath } from '../common/paths.js';
import { UserError } from '../common/user-error.js';
import type { IngestProgress } from '../ingest/index.js';

const flagsSchema = z.object({
  db: z.string().optional(),
  format: z.string().optional(),
  userCol: z.string().optional(),
  itemCol: z.string().optional(),
  timeCol: z.string().optional(),
  ratingCol: z.string().optional(),
  eventCol: z.string().optional(),
  maxErrors: z.string().optional(),
  multiSep: z.string().min(1).default('|'),
});

const kindSchema = z.enum(['interactions', 'users', 'items']);

/** A progress bar (rows, rows/s, share of bytes) on a terminal; nothing otherwise. */
function progressBar(): { update: (p: IngestProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: 'ingest [{bar}] {percentage}% | {rows} rows | {rate} rows/s', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const start = Date.now();
  let started = false;
  return {
    update: (p) => {
      const payload = { rows: p.rowsRead, rate: Math.round(p.rowsRead / Math.max(0.001, (Date.now() - start) / 1000)) };
      if (!started) bar.start(Math.max(1, p.bytesTotal), 0, payload);
      started = true;
      bar.update(p.bytesRead, payload);
    },
    stop: () => started && bar.stop(),
  };
}

/**
 * `contrarec ingest interactions|users|items FILE...`: loads CSV, TSV, JSON Lines or RecBole
 * atomic files (optionally gzipped) into the store as one batch; prints a one-line summary.
 * Bad rows go to `rejected_rows`; past --max-errors the batch is rolled back and the command
 * exits 1 naming the first bad lines. A missing/empty file or a header without the required
 * columns exits 2 before the database is opened.
 *
 * @example
 *   contrarec ingest interactions logs.csv.gz --time-col created --max-errors 2%
 *   contrarec ingest items ../shared/datasets/ml-100k/ml-100k.item
 */
export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description('load interactions, users or items from CSV/TSV/JSONL/atomic files (gzip ok)')
    .argument('<kind>', 'interactions | users | items')
    .argument('<files...>', 'input files')
    .option('--db <path>', 'SQLite file (default $CONTRAREC_DB or ./data/contrarec.db)')
    .option('--format <format>', 'csv | tsv | jsonl | atomic (default: from extension and header)')
    .option('--user-col <name>', 'user id column')
    .option('--item-col <name>', 'item id column')
    .option('--time-col <name>', 'timestamp column')
    .option('--rating-col <name>', 'rating/weight column')
    .option('--event-col <name>', 'event type column')
    .option('--max-errors <n|p%>', 'rejected rows tolerated before rolling back (default 1%)')
    .option('--multi-sep <sep>', 'separator of multi-valued features in CSV/TSV', '|')
    .action(async (kindArg: string, files: string[], rawFlags: unknown) => {
      const { describeRejects, formatSummary, ingestFiles, parseFormatFlag, parseMaxErrors, prepareFiles } = await import('../ingest/index.js');
      const { openStore } = await import('../store/index.js');
      const kind = kindSchema.safeParse(kindArg);
      if (!kind.success) throw new UserError(`ingest: kind must be interactions, users or items (got "${kindArg}")`);
      const flags = flagsSchema.parse(rawFlags);
      const format = parseFormatFlag(flags.format);
      const maxErrors = parseMaxErrors(flags.maxErrors);
      const columnFlags = { userCol: flags.userCol, itemCol: flags.itemCol, timeCol: flags.timeCol, ratingCol: flags.ratingCol, eventCol: flags.eventCol };
      const prepared = await prepareFiles(kind.data, files, { ...columnFlags, format });
      const store = await openStore(resolveDbPath(flags.db));
      const bar = progressBar();
      try {
        const summary = await ingestFiles(store, kind.data, prepared, {
          ...columnFlags,
          format,
          maxErrors,
          multiSep: flags.multiSep,
          onProgress: bar.update,
        });
        bar.stop();
        process.stdout.write(`${formatSummary(summary)}\n`);
        if (summary.status === 'rolled_back') {
          throw new UserError(
            `batch ${summary.batchId} rolled back: ${summary.rejected} of ${summary.rowsRead} rows rejected ` +
              `(--max-errors ${flags.maxErrors ?? '1%'}); first bad lines:\n${describeRejects(summary.firstRejects)}`,
            1,
          );
        }
      } finally {
        bar.stop();
        store.close();
      }
    });
}
