/**
 * A real PostgreSQL server for the tests and benchmarks, thrown away afterwards: Debian's server
 * binaries (`initdb`, `pg_ctl`) run into a fresh temporary folder (data, unix socket and log
 * inside it), on a free TCP port on 127.0.0.1, with trust authentication (or a password). As root the server
 * runs as the `postgres` account, since PostgreSQL refuses to run as root.
 *
 * @example
 *   const server = await startThrowawayPostgres();
 *   try { const url = await server.createDatabase(); ... } finally { await server.stop(); }
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const DEBIAN_ROOT = '/usr/lib/postgresql';

/** The newest `/usr/lib/postgresql/<version>/bin` that has initdb and pg_ctl, or undefined. */
export function findPostgresBinDir(root: string = DEBIAN_ROOT): string | undefined {
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => path.join(root, v, 'bin')).find((bin) => ['initdb', 'pg_ctl'].every((b) => fs.existsSync(path.join(bin, b))));
}

/** A running throwaway server. */
export interface ThrowawayPostgres {
  /** TCP port on 127.0.0.1. */
  readonly port: number;
  /** The superuser every URL connects as (with the password when the server has one). */
  readonly user: string;
  /** URL of database `name` on this server. */
  url(name: string): string;
  /** Creates a new, empty database and returns its URL. */
  createDatabase(): Promise<string>;
  /**
   * Stops the server (fast shutdown, as an operator's restart does: connections are ended with
   * admin_shutdown) but keeps its folder, so that {@link restart} brings the same data back on
   * the same port: how the tests make the database briefly unreachable.
   */
  halt(): Promise<void>;
  /** Starts a halted server again, on the same port with the same data; resolves once it accepts connections. */
  restart(): Promise<void>;
  /** Stops the server (fast shutdown) and deletes its folder. */
  stop(): Promise<void>;
}

/** Options for {@link startThrowawayPostgres}. */
export interface ThrowawayPostgresOptions {
  /**
   * Whether commits are flushed to disk (default false: a throwaway server's data need not
   * survive a power cut, and tests run faster). The ingest benchmark turns it on.
   */
  readonly fsync?: boolean;
  /** The superuser's password, checked (scram-sha-256) instead of trusting every connection; it is in every URL. */
  readonly password?: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a server binary, as the `postgres` account when this process is root. */
function runAsServerUser(bin: string, args: readonly string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, [...args]];
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${path.basename(bin)} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout || String(r.error)}`);
}

function ownByServerUser(dir: string): void {
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
}

/** Initialises and starts a server; throws with the binaries' own message when it cannot. */
export async function startThrowawayPostgres(opts: ThrowawayPostgresOptions = {}): Promise<ThrowawayPostgres> {
  const bin = findPostgresBinDir();
  if (bin === undefined) throw new Error(`no PostgreSQL server binaries under ${DEBIAN_ROOT} (apt-get install postgresql)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrarec-pg-'));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  const user = 'contrarec';
  try {
    const auth = ['-A', 'trust'];
    if (opts.password !== undefined) {
      fs.writeFileSync(path.join(dir, 'pwfile'), `${opts.password}\n`);
      auth.splice(0, 2, '-A', 'scram-sha-256', `--pwfile=${path.join(dir, 'pwfile')}`);
    }
    ownByServerUser(dir);
    runAsServerUser(path.join(bin, 'initdb'), ['-D', data, '-U', user, ...auth, '-E', 'UTF8', '--locale=C', '--no-sync']);
    const port = await freePort();
    const settings = [`-p ${port}`, `-k ${dir}`, `-c listen_addresses=127.0.0.1`, `-c fsync=${opts.fsync === true ? 'on' : 'off'}`, '-c max_connections=200'];
    const start = (): void =>
      runAsServerUser(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', settings.join(' '), 'start']);
    start();
    return serverHandle(bin, dir, port, opts.password === undefined ? user : `${user}:${encodeURIComponent(opts.password)}`, start);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

function serverHandle(bin: string, dir: string, port: number, credentials: string, start: () => void): ThrowawayPostgres {
  let databases = 0;
  let running = true;
  const url = (name: string): string => `postgres://${credentials}@127.0.0.1:${port}/${name}`;
  return {
    port,
    user: credentials.split(':')[0],
    url,
    async createDatabase() {
      const name = `t${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async halt() {
      runAsServerUser(path.join(bin, 'pg_ctl'), ['-D', path.join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
      running = false;
    },
    async restart() {
      start();
      running = true;
    },
    async stop() {
      try {
        if (running) runAsServerUser(path.join(bin, 'pg_ctl'), ['-D', path.join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
