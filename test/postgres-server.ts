import { afterAll, beforeAll } from 'vitest';
import { findPostgresBinDir, startThrowawayPostgres, type ThrowawayPostgres, type ThrowawayPostgresOptions } from '../bench/throwaway-postgres.js';
import { skipWithout } from './missing-dependency.js';

/**
 * True when this machine has no PostgreSQL server binaries, so the PostgreSQL tests skip (with
 * a warning saying how to get them); under CI=true their absence throws instead, and a server
 * that is there but does not start fails its tests in {@link usePostgresServer}.
 */
export function skipWithoutPostgres(): boolean {
  return skipWithout('PostgreSQL server binaries (initdb, pg_ctl)', findPostgresBinDir() === undefined, 'apt-get install postgresql');
}

/**
 * Starts one throwaway PostgreSQL server for the calling test file (before its first test) and
 * stops and deletes it after the last; returns a function that creates a fresh, empty database
 * on it and gives its URL. Call it at the top of a describe block that is skipped when
 * {@link skipWithoutPostgres} says so.
 */
export function usePostgresServer(options: ThrowawayPostgresOptions = {}): () => Promise<string> {
  const server = usePostgresServerHandle(options);
  return () => server().createDatabase();
}

/**
 * {@link usePostgresServer}, giving the server itself, for a test that also halts and restarts
 * it (`halt`, `restart`: the database briefly unreachable); the server is there once the file's
 * tests run.
 */
export function usePostgresServerHandle(options: ThrowawayPostgresOptions = {}): () => ThrowawayPostgres {
  let server: ThrowawayPostgres | undefined;
  beforeAll(async () => {
    server = await startThrowawayPostgres(options);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (server === undefined) throw new Error('the PostgreSQL test server did not start (see the beforeAll error)');
    return server;
  };
}
