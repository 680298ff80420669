import cluster from 'node:cluster';
import type { Logger } from './logger.js';

/**
 * In the primary process: forks `n` workers that each run the same command (and so the same
 * server, sharing the port through node:cluster), and replaces a worker that dies unexpectedly,
 * at most once per second so a crash loop does not spin. SIGINT/SIGTERM stop them all.
 */
export function runWorkers(n: number, log: Logger): void {
  let stopping = false;
  let lastFork = 0;
  const fork = (): void => {
    lastFork = Date.now();
    cluster.fork();
  };
  for (let i = 0; i < n; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log({ level: 'error', msg: 'worker died; starting a new one', worker: worker.process.pid ?? null, code, signal });
    setTimeout(fork, Math.max(0, 1000 - (Date.now() - lastFork)));
  });
  const stop = (): void => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
