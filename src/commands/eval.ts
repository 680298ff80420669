import type { Command } from 'commander';
import { rating } from './flag-parsers.js';
import { DB_OPTION_HELP, resolveDbPath } from '../common/paths.js';
import { UserError } from '../common/user-error.js';

interface EvalFlags {
  db?: string;
  model?: string;
  split: string;
  k: string;
  json?: boolean;
  test?: string;
  testMinRating?: number;
}

/** Parses `--k 10,20,50` into positive integers (exported for tests). */
export function parseKs(value: string): number[] {
  const ks = value.split(',').map((s) => s.trim());
  if (ks.some((s) => !/^[1-9]\d*$/.test(s))) throw new UserError(`--k: expected positive integers separated by commas, got '${value}'`);
  return ks.map(Number);
}

/**
 * `contrarec eval`: full-ranking evaluation of the active model (or `--model VERSION`) over the
 * whole catalogue: Recall/NDCG/HitRate/coverage@K, head and tail recall, alignment and uniformity.
 *
 * @example
 *   contrarec eval                                   # validation hold-out of the store
 *   contrarec eval --test test.tsv --k 10,20 --json  # a benchmark test file, store excluded
 */
export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('evaluate a model by full ranking over all items (Recall, NDCG, HitRate, coverage, head/tail, alignment/uniformity)')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--model <version>', 'model version (default: the active model)')
    .option('--split <split>', "valid (the store's chronological hold-out) | test (with --test)", 'valid')
    .option('--k <list>', 'cut-offs, comma-separated', '10,20,50')
    .option('--test <file>', 'test interactions (any ingest format); everything in the store is excluded from the ranking')
    .option(
      '--test-min-rating <r>',
      "only test rows whose rating is at least r are the truth (the real-noise protocol: e.g. 4 on ml-100k's 1–5, 7 on anime's 1–10); users with none are not evaluated, the other rows stay in the ranking",
      rating,
    )
    .option('--json', 'print the result as JSON')
    .action(async (o: EvalFlags) => {
      const { evaluateStoredModel } = await import('../eval/evaluate-stored-model.js');
      const { formatEvaluation } = await import('../eval/format-evaluation.js');
      if (o.split !== 'valid' && o.split !== 'test') throw new UserError(`--split: expected valid or test, got '${o.split}'`);
      const split = o.test !== undefined ? 'test' : o.split;
      const r = await evaluateStoredModel({
        dbPath: resolveDbPath(o.db),
        version: o.model,
        split,
        ks: parseKs(o.k),
        testFile: o.test,
        testMinRating: o.testMinRating,
      });
      process.stdout.write(o.json === true ? `${JSON.stringify(r, null, 2)}\n` : formatEvaluation(r, o.test ?? 'store hold-out'));
    });
}
