import cluster from 'node:cluster';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { resolveDbPath } from '../common/paths.js';
import { jsonLinesLogger, runWorkers, startServer } from '../serve/index.js';
import { positiveInt } from './index.js';

interface ServeFlags {
  readonly host: string;
  readonly port: number;
  readonly db?: string;
  readonly artifact?: string;
  readonly workers: number;
  readonly watchMs: number;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535.');
  return n;
}

/**
 * `contrarec serve`: answers similar-items and recommendations over HTTP from the active model
 * (and follows promotions: a newly active model is loaded in the background and swapped in).
 * Writes (`POST /v1/interactions`) need CONTRAREC_ADMIN_TOKEN.
 *
 * @example
 *   contrarec serve --port 8080 --workers 2
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
    .action(async (flags: ServeFlags) => {
      const log = jsonLinesLogger;
      if (flags.workers > 1 && cluster.isPrimary) {
        log({ level: 'info', msg: 'starting workers', workers: flags.workers });
        runWorkers(flags.workers, log);
        return;
      }
      const running = await startServer({
        host: flags.host,
        port: flags.port,
        dbPath: flags.artifact && !flags.db ? undefined : resolveDbPath(flags.db),
        artifactDir: flags.artifact && path.resolve(flags.artifact),
        watchIntervalMs: flags.watchMs,
        adminToken: process.env['CONTRAREC_ADMIN_TOKEN'] || undefined,
        log,
      });
      log({ level: 'info', msg: 'listening', url: running.url, model: running.models.current()?.version ?? null });
      const stop = (): void => void running.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
