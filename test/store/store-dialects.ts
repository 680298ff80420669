import path from 'node:path';
import { describe } from 'vitest';
import { tmpDir } from '../ingest/helpers.js';
import { skipWithoutPostgres, usePostgresServer } from '../postgres-server.js';

/** The two SQL dialects the store speaks. */
export type Dialect = 'sqlite' | 'postgres';

/**
 * Declares `suite` once per dialect, as `name (sqlite)` and `name (postgres)`: `freshDb()` gives
 * the location of a new, empty database, a file in a temp folder or a new database on a
 * throwaway PostgreSQL server started for the block (skipped without the server binaries, failed
 * under CI=true; see `usePostgresServer`).
 *
 * @example
 *   describeEachDialect('model registry', (freshDb) => { it('…', async () => { const store = await openStore(await freshDb()); … }); });
 */
export function describeEachDialect(name: string, suite: (freshDb: () => Promise<string>, dialect: Dialect) => void): void {
  describe(`${name} (sqlite)`, () => suite(async () => path.join(tmpDir(), 'contrarec.db'), 'sqlite'));
  describe.skipIf(skipWithoutPostgres())(`${name} (postgres)`, () => suite(usePostgresServer(), 'postgres'));
}
