import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACT_FILES } from '../../src/model/artifact/artifact-layout.js';
import { getActiveModel, openStore } from '../../src/store/index.js';
import { REPO_ROOT, tmpDir } from '../ingest/helpers.js';
import { skipWithoutPostgres, usePostgresServer } from '../postgres-server.js';
import { serveCli, stopChild, TINY_MODEL_FLAGS } from '../serve/cli-fixture.js';

// A trainer and a serving replica that share nothing but the database URL: the replica's
// working directory starts empty, so it can serve only what it downloads from PostgreSQL.
// Through the built CLI (`npm run build` first; `npm test` does).
const CLI = path.join(REPO_ROOT, 'dist/src/cli.js');
const TINY = ['--epochs', '1', ...TINY_MODEL_FLAGS];

describe.skipIf(skipWithoutPostgres())('a serving replica with only the PostgreSQL URL', () => {
  const freshDb = usePostgresServer({ password: 'replica-pw' });

  it('downloads, verifies and serves the active version the trainer registered from another folder', async () => {
    const trainer = tmpDir();
    const db = await freshDb();
    const ok = (args: string[]): string => {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: trainer, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`contrarec ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
      return r.stdout;
    };
    ok(['generate', '--out', 'log', '--users', '120', '--items', '80', '--interactions', '3000']);
    for (const kind of ['items', 'users', 'interactions']) ok(['ingest', kind, path.join('log', `${kind}.csv`), '--db', db]);
    ok(['train', '--db', db, ...TINY]);
    ok(['index', '--db', db]);
    const store = await openStore(db);
    const version = (await getActiveModel(store))!.version;
    await store.close();

    const replica = tmpDir();
    expect(readdirSync(replica)).toEqual([]);
    const serve = await serveCli(['--db', db], 1, {}, replica);
    try {
      const similar = (await (await fetch(`${serve.url}/v1/items/i1/similar?k=3`)).json()) as { model: string; items: unknown[] };
      expect(similar).toMatchObject({ model: version });
      expect(similar.items).toHaveLength(3);
      // The index came from the database with the rest, rather than being rebuilt by the replica.
      expect(existsSync(path.join(replica, 'data', 'models', version, ARTIFACT_FILES.hnswGraph))).toBe(true);
      expect(serve.log()).not.toContain('no index beside the artifact');
    } finally {
      await stopChild(serve.child);
    }
    expect(readdirSync(path.join(replica, 'data', 'models'))).toEqual([version]);
  });
});
