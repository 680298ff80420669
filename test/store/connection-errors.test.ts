import net from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnreachable } from '../../src/store/index.js';
import { skipWithoutPostgres, usePostgresServer } from '../postgres-server.js';

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The error `run` rejects with. */
async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => Promise.reject(new Error('expected a failure')),
    (err: unknown) => err,
  );
}

describe('isDatabaseUnreachable: errors of a lost connection against those of a bad request', () => {
  it("says yes to a refused connection and to pg's connect timeout, no to other errors", async () => {
    const pool = new pg.Pool({ connectionString: `postgres://x@127.0.0.1:${await closedPort()}/x`, connectionTimeoutMillis: 2000 });
    pool.on('error', () => {});
    try {
      expect(isDatabaseUnreachable(await errorOf(() => pool.query('select 1')))).toBe(true);
    } finally {
      await pool.end();
    }
    // The pool's own message when connectionTimeoutMillis passes with no connection to be had.
    expect(isDatabaseUnreachable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(
      isDatabaseUnreachable(new Error('Connection terminated due to connection timeout', { cause: new Error('Connection terminated unexpectedly') })),
    ).toBe(true);
    expect(isDatabaseUnreachable(new Error('relation "nope" does not exist'))).toBe(false);
    expect(isDatabaseUnreachable('ECONNREFUSED')).toBe(false);
  });

  describe.skipIf(skipWithoutPostgres())('on a real server', () => {
    const freshDb = usePostgresServer();

    it('says yes to a session ended by the server (57P01), no to a statement the server refuses', async () => {
      const db = await freshDb();
      const victim = new pg.Client({ connectionString: db });
      victim.on('error', () => {});
      await victim.connect();
      const admin = new pg.Client({ connectionString: db });
      await admin.connect();
      try {
        const refused = await errorOf(() => victim.query('select * from no_such_table'));
        expect((refused as { code?: string }).code).toBe('42P01');
        expect(isDatabaseUnreachable(refused)).toBe(false);
        const { rows } = await victim.query<{ pid: number }>('select pg_backend_pid() as pid');
        const ended = errorOf(() => victim.query('select pg_sleep(30)'));
        await new Promise((r) => setTimeout(r, 200));
        await admin.query('select pg_terminate_backend($1)', [rows[0].pid]);
        const err = await ended;
        expect((err as { code?: string }).code).toBe('57P01');
        expect(isDatabaseUnreachable(err)).toBe(true);
        // The client is unusable afterwards, and says so.
        expect(isDatabaseUnreachable(await errorOf(() => victim.query('select 1')))).toBe(true);
      } finally {
        await admin.end();
        await victim.end().catch(() => {});
      }
    });
  });
});
