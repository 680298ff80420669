import { availableParallelism } from 'node:os';
import cluster from 'node:cluster';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { resolveDbPath } from '../common/paths.js';
import type { ScheduledRetrain } from '../retrain/schedule-retrain.js';
import { UserError } from '../common/user-error.js';
import { nonNegativeInt, positiveInt } from './flag-parsers.js';

interface ServeFlags {
  readonly host: string;
  readonly port: number;
  readonly db?: string;
  readonly artifact?: string;
  readonly workers: number;
  readonly watchMs: number;
  readonly retrainCron?: string;
  readonly retrainTz?: string;
  readonly reports?: string;
  readonly liveHistory: boolean;
  readonly liveCacheUsers?: number;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535.');
  return n;
}

/** Refuses the retrain flags that cannot work together. */
function checkRetrainFlags(flags: ServeFlags): void {
  if (flags.retrainTz !== undefined && flags.retrainCron === undefined) throw new UserError('--retrain-tz needs --retrain-cron');
  if (flags.retrainCron !== undefined && flags.artifact !== undefined && flags.db === undefined)
    throw new UserError('--retrain-cron needs the model registry: give --db instead of --artifact');
}

/**
 * `contrarec serve`: answers similar-items and recommendations over HTTP from the active model
 * (and follows promotions: a newly active model is loaded in the background and swapped in).
 * Answers are live by default: a user's vector comes from their current history in the store;
 * `--no-live-history` answers as trained, for comparison.
 * Writes (`POST /v1/interactions`) need CONTRAREC_ADMIN_TOKEN; the console's API
 * (`/console/api/`) needs CONTRAREC_READ_TOKEN when it is set. `--retrain-cron` retrains on a
 * schedule, each run a `contrarec retrain` child process, and swaps the promoted model in.
 *
 * @example
 *   contrarec serve --port 8080 --workers 2
 *   contrarec serve --no-live-history
 *   contrarec serve --retrain-cron "0 3 * * *" --retrain-tz Europe/Paris
 *   curl 'http://127.0.0.1:8080/v1/items/50/similar?k=5'
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve similar items and recommendations over HTTP (JSON).')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', port, 8080)
    .option('--db <path>', 'SQLite database (default: $CONTRAREC_DB or ./data/contrarec.db)')
    .option('--artifact <dir>', 'serve this model artifact folder instead of the active model')
    .option('--workers <n>', 'processes sharing the port (node:cluster)', positiveInt, 1)
    .option('--watch-ms <ms>', 'how often to check for a newly active model', positiveInt, 2000)
    .option('--retrain-cron <pattern>', 'retrain on this cron schedule, e.g. "0 3 * * *" (6 fields: seconds first)')
    .option('--retrain-tz <zone>', "time zone of --retrain-cron, e.g. Europe/Paris (default: the machine's)")
    .option('--reports <dir>', 'experiment outputs (contrarec experiment --out) to show in the web console')
    .option('--no-live-history', "answer as trained: users' vectors and seen items of training time, no live items")
    .option('--live-cache-users <n>', 'users whose live vectors each model version keeps cached (0: none; default 100000)', nonNegativeInt)
    .action(async (flags: ServeFlags) => {
      const { scheduleRetrain } = await import('../retrain/schedule-retrain.js');
      const { jsonLinesLogger, READ_TOKEN_VARIABLE, runWorkers, startServer } = await import('../serve/index.js');
      const log = jsonLinesLogger;
      const readToken = process.env[READ_TOKEN_VARIABLE] || undefined;
      if (readToken === undefined && cluster.isPrimary) {
        log({
          level: 'warn',
          msg: `the console API (/console/api/: item search, user histories, model details) is open to anyone who can reach this port; set ${READ_TOKEN_VARIABLE} to require a token, or keep the server on a trusted network`,
        });
      }
      checkRetrainFlags(flags);
      // The schedule lives in the primary process only (one retrain per server, whatever --workers).
      const schedule = (onDone: () => void): ScheduledRetrain | undefined => {
        if (flags.retrainCron === undefined || !cluster.isPrimary) return undefined;
        // One core stays with this server's requests; the retrain also runs at the lowest priority.
        const trainThreads = String(Math.max(1, availableParallelism() - 1));
        const command = [process.execPath, process.argv[1], 'retrain', '--db', resolveDbPath(flags.db), '--train-threads', trainThreads];
        return scheduleRetrain({ cron: flags.retrainCron, timezone: flags.retrainTz, command }, log, onDone);
      };
      if (flags.workers > 1 && cluster.isPrimary) {
        log({ level: 'info', msg: 'starting workers', workers: flags.workers });
        const scheduled = schedule(() => {});
        runWorkers(flags.workers, log);
        process.once('SIGTERM', () => scheduled?.stop());
        return;
      }
      const running = await startServer({
        host: flags.host,
        port: flags.port,
        dbPath: flags.artifact && !flags.db ? undefined : resolveDbPath(flags.db),
        artifactDir: flags.artifact && path.resolve(flags.artifact),
        watchIntervalMs: flags.watchMs,
        liveHistory: flags.liveHistory,
        liveCacheUsers: flags.liveCacheUsers,
        reportsDir: flags.reports && path.resolve(flags.reports),
        adminToken: process.env['CONTRAREC_ADMIN_TOKEN'] || undefined,
        readToken,
        log,
      });
      log({ level: 'info', msg: 'listening', url: running.url, model: running.models.current()?.version ?? null });
      const scheduled = schedule(() => void running.models.sync());
      const stop = (): void => (scheduled?.stop(), void running.close().then(() => process.exit(0)));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
