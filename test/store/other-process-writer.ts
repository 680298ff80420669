import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const BETTER_SQLITE3 = createRequire(import.meta.url).resolve('better-sqlite3');

/** Another process's write transaction on the same file: `released` settles when it has committed and exited. */
export interface OtherProcessWriter {
  readonly released: Promise<void>;
}

/**
 * Starts a second process that opens `dbPath` on its own connection, takes the write lock
 * (`begin immediate`), writes an API-style batch row and holds the lock for `holdMs` before it
 * commits: what `contrarec serve` does on `POST /v1/interactions`, made long enough that a
 * command in this process is sure to meet it. Resolves once the lock is held.
 */
export function holdWriteLockInOtherProcess(dbPath: string, holdMs: number): Promise<OtherProcessWriter> {
  const script = `
    const Database = require(${JSON.stringify(BETTER_SQLITE3)});
    const db = new Database(${JSON.stringify(dbPath)});
    db.pragma('busy_timeout = 5000');
    db.exec('begin immediate');
    db.prepare("insert into ingest_batches (kind, source, format, status, started_at) values ('interactions', 'other-process', 'api', 'complete', 0)").run();
    process.stdout.write('locked\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});
    db.exec('commit');
    db.close();
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const released = new Promise<void>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the other writer exited with ${code}: ${stderr}`)))),
  );
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve({ released }));
    released.then(() => reject(new Error('the other writer exited before taking the lock')), reject);
  });
}
