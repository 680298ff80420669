import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { DB_OPTION_HELP, resolveDbPath } from '../common/paths.js';
import { UserError } from '../common/user-error.js';
// The constants file only (no dependencies): the rest of ingest loads lazily, in the action.
import { DEFAULT_MISSING_VALUES } from '../ingest/feature-cell-rules.js';
import type { FeatureCellRules, IngestProgress, IngestSummary } from '../ingest/index.js';

const flagsSchema = z.object({
  db: z.string().optional(),
  format: z.string().optional(),
  userCol: z.string().optional(),
  itemCol: z.string().optional(),
  timeCol: z.string().optional(),
  ratingCol: z.string().optional(),
  weightCol: z.string().optional(),
  eventCol: z.string().optional(),
  maxErrors: z.string().optional(),
  multiSep: z.string().min(1).default('|'),
  ignoreCols: z.string().optional(),
  multiCols: z.string().optional(),
  missingValues: z.string().optional(),
  timeRange: z.string().optional(),
  ratingRange: z.string().optional(),
  weightRange: z.string().optional(),
});

type IngestFlags = z.infer<typeof flagsSchema>;

const HELP_AFTER = `
Interactions need a user and an item column; without a time column they are stored untimed
(contrarec stats shows the share). --weight-col names a strength (hours, counts; finite, >= 0)
stored as the weight, instead of the rating.

Every row passes the same rules as POST /v1/interactions: a time within --time-range (default
1970-01-01..2100-01-01, both ends included), a rating and a weight that are plain decimals (no hex,
no Infinity; |x| <= 1e15) within --rating-range / --weight-range (default 0..1e15), and ids of at most
512 UTF-8 bytes without control, bidi-override or zero-width characters. A rejected row names the
rule; the first rejected lines are printed after the summary.
  $ contrarec ingest interactions jester.csv --rating-range -10..10
  $ contrarec ingest interactions logs.csv --time-range 2015-01-01..2025-01-01

Feature files as published (ids under any name, extra columns, odd separators):
  $ contrarec ingest items items_info.dat --item-col Book_ID --ignore-cols Image-URL-S,Image-URL-M,Image-URL-L
  $ contrarec ingest users users_info.dat --user-col User-ID
  $ contrarec ingest items anime_info.dat --item-col anime_ids --multi-sep ", " --multi-cols genre
  $ contrarec ingest interactions game_play.dat --user-col User_ID --item-col Game_ID --weight-col Hours`;

const DEFAULT_MISSING_LIST = DEFAULT_MISSING_VALUES.map((v) => (v === '' ? '""' : v)).join(',');

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
 *   contrarec ingest items anime_info.dat --item-col anime_ids --multi-sep ', ' --multi-cols genre
 */
export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description('load interactions, users or items from CSV/TSV/JSONL/atomic files (gzip ok)')
    .argument('<kind>', 'interactions | users | items')
    .argument('<files...>', 'input files')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--format <format>', 'csv | tsv | jsonl | atomic (default: from extension and header)')
    .option('--user-col <name>', 'user id column, any name (default user_id/user/userid; users files also id)')
    .option('--item-col <name>', 'item id column, any name (default item_id/item/itemid; items files also id)')
    .option('--time-col <name>', 'timestamp column (default timestamp/ts/time; none: interactions are untimed)')
    .option('--rating-col <name>', 'rating column, stored as the weight (default rating/weight)')
    .option('--weight-col <name>', 'strength column (play hours, counts; finite, >= 0) stored as the weight; wins over the rating')
    .option('--event-col <name>', 'event type column')
    .option('--max-errors <n|p%>', 'rejected rows tolerated before rolling back (default 1%)')
    .option('--multi-sep <sep>', 'separator of multi-valued features in CSV/TSV, any length (e.g. ", "); tokens are trimmed', '|')
    .option('--ignore-cols <names>', 'users/items: comma-separated columns that are not features (e.g. image URLs)')
    .option('--multi-cols <names>', 'users/items: the only columns split on --multi-sep ("" for none; default: any column with a value holding it)')
    .option('--missing-values <list>', `users/items: comma-separated cell values read as missing (default ${DEFAULT_MISSING_LIST})`)
    .option('--time-range <from..to>', 'interactions: accepted times, dates (UTC) or unix seconds, ends included (default 1970-01-01..2100-01-01)')
    .option('--rating-range <min..max>', 'interactions: accepted ratings, e.g. -10..10 (default 0..1e15: a rating is stored as the weight)')
    .option('--weight-range <min..max>', 'interactions: accepted --weight-col values, min >= 0 (default 0..1e15)')
    .addHelpText('after', HELP_AFTER)
    .action(runIngest);
}

/** The `ingest` action: checks flags and files (exit 2 before the database is opened), ingests, prints the summary and the first rejects. */
async function runIngest(kindArg: string, files: string[], rawFlags: unknown): Promise<void> {
  const { columnFlagsOf, formatSummary, ingestFiles, parseFormatFlag, parseMaxErrors, prepareFiles, recordRulesOf } = await import('../ingest/index.js');
  const { openStore } = await import('../store/index.js');
  const kind = kindSchema.safeParse(kindArg);
  if (!kind.success) throw new UserError(`ingest: kind must be interactions, users or items (got "${kindArg}")`);
  const flags = flagsSchema.parse(rawFlags);
  const format = parseFormatFlag(flags.format);
  const maxErrors = parseMaxErrors(flags.maxErrors);
  const rules = recordRulesOf(flags);
  const columnFlags = columnFlagsOf(flags);
  const cellRules = await cellRulesOf(kind.data, flags);
  const prepared = await prepareFiles(kind.data, files, { ...columnFlags, ...cellRules, format });
  for (const f of prepared) {
    if (f.columns !== undefined && f.columns.time < 0) {
      process.stderr.write(`contrarec: ${f.file}: no time column (timestamp, ts, time or --time-col): its interactions are stored untimed\n`);
    }
    if (f.headerOnly) process.stderr.write(`contrarec: ${f.file}: header only, no data rows\n`);
  }
  const store = await openStore(resolveDbPath(flags.db));
  const bar = progressBar();
  try {
    const opts = { ...columnFlags, ...cellRules, format, maxErrors, rules, multiSep: flags.multiSep, onProgress: bar.update };
    const summary = await ingestFiles(store, kind.data, prepared, opts);
    bar.stop();
    process.stdout.write(`${formatSummary(summary)}\n`);
    await reportRejects(summary, flags);
  } finally {
    bar.stop();
    store.close();
  }
}

/** The users/items cell flags, parsed; refused for interactions. */
async function cellRulesOf(kind: z.infer<typeof kindSchema>, flags: IngestFlags): Promise<FeatureCellRules> {
  const { parseListFlag } = await import('../ingest/index.js');
  if (kind === 'interactions' && (flags.ignoreCols ?? flags.multiCols ?? flags.missingValues) !== undefined) {
    throw new UserError('--ignore-cols, --multi-cols and --missing-values apply to users and items files only');
  }
  if (kind !== 'interactions' && (flags.timeRange ?? flags.ratingRange ?? flags.weightRange) !== undefined) {
    throw new UserError('--time-range, --rating-range and --weight-range apply to interactions files only');
  }
  const list = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : parseListFlag(v));
  return { ignoreCols: list(flags.ignoreCols), multiCols: list(flags.multiCols), missingValues: list(flags.missingValues) };
}

/** After the summary: the first rejected lines (stderr) when the batch was kept, or exit 1 naming them when it was rolled back. */
async function reportRejects(summary: IngestSummary, flags: IngestFlags): Promise<void> {
  const { describeRejects } = await import('../ingest/index.js');
  if (summary.status === 'rolled_back') {
    throw new UserError(
      `batch ${summary.batchId} rolled back: ${summary.rejected} of ${summary.rowsRead} rows rejected ` +
        `(--max-errors ${flags.maxErrors ?? '1%'}); first bad lines:\n${describeRejects(summary.firstRejects)}`,
      1,
    );
  }
  if (summary.rejected > 0) {
    const more = summary.rejected > summary.firstRejects.length ? ` (first ${summary.firstRejects.length} of ${summary.rejected})` : '';
    process.stderr.write(`contrarec: rejected lines${more}:\n${describeRejects(summary.firstRejects)}\n`);
  }
}
