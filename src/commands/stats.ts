import type { Command } from 'commander';
import { DB_OPTION_HELP, resolveDbPath } from '../common/paths.js';
import type { CountQuantiles, StoreStats } from '../store/index.js';

const pct = (share: number | null): string => (share === null ? '-' : `${(100 * share).toFixed(1)} %`);

const q = (x: CountQuantiles | null): string => (x === null ? '-' : `min ${x.min}  p25 ${x.p25}  p50 ${x.p50}  p75 ${x.p75}  p90 ${x.p90}  max ${x.max}`);

/** Renders stats as the human-readable block `contrarec stats` prints. */
export function formatStats(s: StoreStats): string {
  return [
    `users          ${s.users}`,
    `items          ${s.items}`,
    `interactions   ${s.interactions}`,
    `density        ${s.density.toPrecision(4)}`,
    `per user       ${q(s.perUser)}`,
    `per item       ${q(s.perItem)}`,
    `time range     ${s.timeRange === null ? '-' : `${s.timeRange.from} .. ${s.timeRange.to}`}`,
    `untimed        ${pct(s.untimedShare)}`,
    `tied times     ${pct(s.tiedShare)}`,
    `top items      ${s.topItems.map((t) => `${t.externalId} (${t.interactions})`).join(', ') || '-'}`,
  ].join('\n');
}

/**
 * `contrarec stats [--db PATH] [--json]`: counts, density, interactions-per-user/item
 * quantiles, the ten most popular items, the time range of the store, and how much of the log
 * a chronological split cannot order: the untimed share, and the timed interactions tied with
 * another of the same user at the same second.
 *
 * @example
 *   contrarec stats --json | jq .interactions
 */
export function registerStatsCommand(program: Command): void {
  program
    .command('stats')
    .description('summarise the interactions in the database')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const { openStore, readStats } = await import('../store/index.js');
      const store = await openStore(resolveDbPath(opts.db));
      try {
        const stats = await readStats(store);
        process.stdout.write(opts.json === true ? `${JSON.stringify(stats, null, 2)}\n` : `${formatStats(stats)}\n`);
      } finally {
        store.close();
      }
    });
}
