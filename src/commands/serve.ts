import { availableParallelism } from 'node:os';
import cluster from 'node:cluster';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { DB_OPTION_HELP, resolveDbPath } from '../common/paths.js';
import type { ScheduledRetrain } from '../retrain/schedule-retrain.js';
import { UserError } from '../common/user-error.js';
import { nonNegativeInt, positiveInt } from './flag-parsers.js';
import { scheduledRetrainArgs } from './scheduled-retrain-args.js';

interface ServeFlags {
  readonly host: string;
  readonly port: number;
  readonly db?: string;
  readonly artifact?: string;
  readonly workers: number;
  readonly watchMs: number;
  readonly retrainCron?: string;
  readonly retrainTz?: string;
  readonly retrainArgs?: string;
  readonly reports?: string;
  readonly liveHistory: boolean;
  readonly liveCacheUsers?: number;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535.');
  return n;
}

function retrainCommandOf(program: Command): Command {
  const retrain = program.commands.find((c) => c.name() === 'retrain');
  if (retrain === undefined) throw new Error('the retrain command is not registered');
  return retrain;
}

/** The command line of each scheduled retrain (undefined without --retrain-cron), its flags checked now. */
function scheduledRetrainCommand(flags: ServeFlags, program: Command): string[] | undefined {
  if (flags.retrainTz !== undefined && flags.retrainCron === undefined) throw new UserError('--retrain-tz needs --retrain-cron');
  if (flags.retrainArgs !== undefined && flags.retrainCron === undefined) throw new UserError('--retrain-args needs --retrain-cron');
  if (flags.retrainCron === undefined) return undefined;
  if (flags.artifact !== undefined && flags.db === undefined) throw new UserError('--retrain-cron needs the model registry: give --db instead of --artifact');
  const retrainArgs = scheduledRetrainArgs(flags.retrainArgs, retrainCommandOf(program));
  // One core stays with this server's requests; the retrain also runs at the lowest priority.
  const trainThreads = String(Math.max(1, availableParallelism() - 1));
  // The user's flags come last, so that theirs win (a --train-threads of their own included).
  return [process.execPath, process.argv[1], 'retrain', '--db', resolveDbPath(flags.db), '--train-threads', trainThreads, ...retrainArgs];
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
 *   contrarec serve --retrain-cron "0 3 * * *" --retrain-tz Europe/Paris --retrain-args "--tolerance 0.02"
 *   curl 'http://127.0.0.1:8080/v1/items/50/similar?k=5'
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve similar items and recommendations over HTTP (JSON).')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', port, 8080)
    .option('--db <path>', DB_OPTION_HELP)
    .option('--artifact <dir>', 'serve this model artifact folder instead of the active model')
    .option('--workers <n>', 'processes sharing the port (node:cluster)', positiveInt, 1)
    .option('--watch-ms <ms>', 'how often to check for a newly active model (PostgreSQL also announces promotions at once)', positiveInt, 2000)
    .option('--retrain-cron <pattern>', 'retrain on this cron schedule, e.g. "0 3 * * *" (6 fields: seconds first)')
    .option('--retrain-tz <zone>', "time zone of --retrain-cron, e.g. Europe/Paris (default: the machine's)")
    .option('--retrain-args <flags>', 'more flags for each scheduled retrain, space-separated, e.g. "--tolerance 0.02 --epochs 3" (contrarec retrain --help)')
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
      const retrainCommand = scheduledRetrainCommand(flags, program);
      // The schedule lives in the primary process only (one retrain per server, whatever --workers).
      const schedule = (onDone: () => void): ScheduledRetrain | undefined =>
        retrainCommand === undefined || flags.retrainCron === undefined || !cluster.isPrimary
          ? undefined
          : scheduleRetrain({ cron: flags.retrainCron, timezone: flags.retrainTz, command: retrainCommand }, log, onDone);
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
