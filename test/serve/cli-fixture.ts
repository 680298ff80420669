import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { skipWithout } from '../missing-dependency.js';

/** The built CLI (`npm run build` first; `npm test` does). */
export const CLI = path.join(path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..'), 'dist/src/cli.js');

/** A tiny model (16-d, a hidden layer of 32, small batches, the CPU backend): a CLI train of a few seconds. */
export const TINY_MODEL_FLAGS: readonly string[] = [
  '--hidden',
  '32,16',
  '--embedding-dim',
  '16',
  '--global-negatives',
  '64',
  '--batch-size',
  '256',
  '--backend',
  'cpu',
];

/** {@link TINY_MODEL_FLAGS} at the gentler learning rates of 1e-3, so that a 1-epoch warm start does not wander below the retrain gate. */
export const TINY_RETRAIN_FLAGS: readonly string[] = [...TINY_MODEL_FLAGS, '--learning-rate', '1e-3', '--embedding-learning-rate', '1e-3'];

/** Whether the tests that run the built CLI must skip (they fail instead under CI=true). */
export function skipWithoutCli(): boolean {
  return skipWithout(CLI, !existsSync(CLI), 'run npm run build');
}

/** Runs `contrarec args…` to completion; its stdout, or an error with its stderr. */
export function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`contrarec ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** A `contrarec serve` child process: its URL, and its log so far and later. */
export interface ServeChild {
  readonly url: string;
  readonly child: ChildProcess;
  log(): string;
}

/** Starts `contrarec serve` on a free port (in `cwd`, by default this process's); resolves once every worker listens. */
export async function serveCli(args: string[], workers: number, env: Record<string, string> = {}, cwd?: string): Promise<ServeChild> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--workers', String(workers), ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    let listening = 0;
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const urls = [...log.matchAll(/"msg":"listening","url":"([^"]+)"/g)];
      if (urls.length > listening && (listening = urls.length) === workers) resolve(urls[0][1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${log}`)));
  });
  return { url, child, log: () => log };
}

/** Stops a child process with SIGTERM and waits for it to exit (at once when it already has, by a signal too). */
export function stopChild(child: ChildProcess | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * A store in `dir` (`c.db`) with a small model really trained by TF.js and indexed, as a person
 * makes one: generate (100 users, 80 items i0…, 1,200 interactions) → ingest → train → index.
 * Returns the database, the model's artifact folder and what `contrarec index` printed.
 */
export async function trainedStore(dir: string): Promise<{ db: string; artifactDir: string; indexed: string }> {
  const db = path.join(dir, 'c.db');
  const data = path.join(dir, 'data');
  cli(['generate', '--out', data, '--users', '100', '--items', '80', '--interactions', '1200', '--seed', '3', '--topics', '4']);
  for (const kind of ['items', 'users', 'interactions']) cli(['ingest', kind, path.join(data, `${kind}.csv`), '--db', db]);
  cli(['train', '--db', db, '--epochs', '1', '--hidden', '32,16', '--global-negatives', '64', '--batch-size', '256', '--backend', 'cpu']);
  const indexed = cli(['index', '--db', db]);
  const models = path.join(dir, 'models');
  return {
    db,
    artifactDir: path.join(
      models,
      (await readdir(models)).find((d) => !d.startsWith('.'))!,
    ),
    indexed,
  };
}
