import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLease, countRows, openStore } from '../../src/store/index.js';
import { REPO_ROOT, tmpDir } from '../ingest/helpers.js';
import { skipWithoutPostgres, usePostgresServer } from '../postgres-server.js';
import { serveCli, stopChild, TINY_MODEL_FLAGS } from '../serve/cli-fixture.js';

// Every stage of the CLI against a postgres:// --db, through the built CLI (`npm run build`
// first; `npm test` does), on a throwaway server: artifacts stay in ./data/models of the
// working directory, which is a temp folder here. The server checks a password, so that every
// connection a command opens (the server's snapshot worker too) must carry it.
const CLI = path.join(REPO_ROOT, 'dist/src/cli.js');
const TINY = ['--epochs', '1', ...TINY_MODEL_FLAGS];

describe.skipIf(skipWithoutPostgres())('contrarec on PostgreSQL (CLI)', () => {
  const freshDb = usePostgresServer({ password: 's3cret/pw' });
  const run = (cwd: string, args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('ingests, trains, lists, retrains (exit 3 while another machine holds the lease), evaluates and serves', async () => {
    const cwd = tmpDir();
    const db = await freshDb();
    const ok = (args: string[]): string => {
      const r = run(cwd, args);
      if (r.status !== 0) throw new Error(`contrarec ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
      return r.stdout;
    };
    ok(['generate', '--out', 'log', '--users', '120', '--items', '80', '--interactions', '3000']);
    for (const kind of ['items', 'users', 'interactions']) ok(['ingest', kind, path.join('log', `${kind}.csv`), '--db', db]);
    expect(JSON.parse(ok(['stats', '--db', db, '--json']))).toMatchObject({ users: 120, items: 80, interactions: 3000 });
    expect(ok(['train', '--db', db, ...TINY])).toContain(path.join(cwd, 'data', 'models'));

    const store = await openStore(db);
    try {
      const held = await acquireLease(store, { name: 'retrain', owner: 'elsewhere', pid: 1, host: 'another-machine', ttlSeconds: 600 });
      expect(held.acquired).toBe(true);
      const busy = run(cwd, ['retrain', '--db', db, ...TINY]);
      expect(busy.status).toBe(3);
      expect(busy.stderr).toContain('a retrain is in progress (pid 1 on another-machine since');
    } finally {
      await store.close();
    }
    expect(ok(['eval', '--db', db])).toMatch(/^K +Recall +NDCG/m);
    expect(ok(['models', 'list', '--db', db])).toMatch(/ active /);

    const { url, child: server } = await serveCli(['--db', db], 1, { CONTRAREC_ADMIN_TOKEN: 'secret' }, cwd);
    try {
      const recs = (await (await fetch(`${url}/v1/users/u1/recommendations?k=3`)).json()) as { items: unknown[] };
      expect(recs.items).toHaveLength(3);
      const post = () =>
        fetch(`${url}/v1/interactions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer secret' },
          body: JSON.stringify({ interactions: [{ user: 'newcomer', item: 'i1', ts: 1_700_000_000 }] }),
        }).then((r) => r.json());
      expect(await post()).toEqual({ inserted: 1, duplicates: 0, rejected: [] });
      expect(await post()).toEqual({ inserted: 0, duplicates: 1, rejected: [] });
    } finally {
      await stopChild(server);
    }
    const after = await openStore(db);
    expect(await countRows(after)).toMatchObject({ users: 121, interactions: 3001 });
    await after.close();
  });
});
