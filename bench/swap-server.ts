/**
 * The server process of `bench:swap`: `startServer` on a database (as `contrarec serve --db`
 * runs it), started with `--expose-gc`, talking to the bench over the IPC channel:
 *
 * - it sends `{ type: 'listening', url }`, then `{ type: 'swap', event }` for every "serving
 *   model" log event (with the load's statistics) and `{ type: 'log', event }` for errors;
 * - on `{ type: 'rss' }` it runs the garbage collector and answers `{ type: 'rss', rss, heapUsed, external, arrayBuffers }` (bytes);
 * - on `{ type: 'sync' }` it checks the registry at once (instead of at the next --watch-ms tick);
 * - on `{ type: 'stop' }` it closes and exits.
 *
 *   node --expose-gc dist/bench/swap-server.js DB_PATH WATCH_MS
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { startServer } from '../src/serve/index.js';

const [dbPath, watchMs] = process.argv.slice(2);
const send = (message: unknown): void => void process.send?.(message);
const running = await startServer({
  host: '127.0.0.1',
  port: 0,
  dbPath,
  watchIntervalMs: Number(watchMs ?? 100),
  adminToken: process.env['CONTRAREC_ADMIN_TOKEN'],
  log: (event) => {
    if (event.msg === 'serving model') send({ type: 'swap', event });
    else if (event.level !== 'info') send({ type: 'log', event });
  },
});
send({ type: 'listening', url: running.url });
process.on('message', (raw) => {
  const m = raw as { type: string };
  void (async () => {
    if (m.type === 'rss') {
      // Twice, a turn apart: the first collection runs finalizers (hnswlib's graphs) that free native memory.
      global.gc?.();
      await nextTurn();
      global.gc?.();
      const u = process.memoryUsage();
      send({ type: 'rss', rss: u.rss, heapUsed: u.heapUsed, external: u.external, arrayBuffers: u.arrayBuffers });
    } else if (m.type === 'sync') {
      await running.models.sync();
    } else if (m.type === 'stop') {
      await running.close();
      process.exit(0);
    }
  })();
});
