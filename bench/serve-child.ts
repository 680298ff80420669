/**
 * `contrarec serve` as a child process of a benchmark (the CLI, as deployed): started on a free
 * port, ready once each of its workers has logged that it listens.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI the benchmarks run (`dist/src/cli.js`). */
export const BENCH_CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli.js');

/** A running server: its URL, its log so far, and how to stop it. */
export interface ServeChild {
  readonly url: string;
  log(): string;
  /** Sends SIGTERM and resolves once the process has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `contrarec serve --port 0 --workers N …args` (in `cwd`, by default this process's);
 * resolves once every worker listens, rejects if it exits first.
 */
export async function startServeChild(args: readonly string[], workers: number, env: Readonly<Record<string, string>> = {}, cwd?: string): Promise<ServeChild> {
  const child = spawn(process.execPath, [BENCH_CLI, 'serve', '--port', '0', '--workers', String(workers), ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let seen = 0;
    let buf = '';
    child.stderr.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      log += chunk.toString();
      for (const m of buf.matchAll(/"msg":"listening","url":"([^"]+)"/g)) if (++seen === workers) resolve(m[1]);
      buf = buf.slice(buf.lastIndexOf('\n') + 1);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
  });
  return {
    url,
    log: () => log,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
