import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tmpDir } from '../ingest/helpers.js';
import { skipWithoutPostgres, usePostgresServerHandle } from '../postgres-server.js';
import { serveCli, stopChild, TINY_MODEL_FLAGS } from '../serve/cli-fixture.js';

// `contrarec serve` on PostgreSQL while the server is stopped and started again (as an operator's
// restart or a failover does): reads answer from memory, writes answer 503 and write nothing, the
// process lives on, and once the server is back a retried write is stored exactly once. Through
// the built CLI (`npm run build` first; `npm test` does), on a throwaway server.
const CLI = path.join(REPO_ROOT, 'dist/src/cli.js');
const TINY = ['--epochs', '1', ...TINY_MODEL_FLAGS];
const TOKEN = 'outage-token';
const ROWS = [
  { user: 'outage-u1', item: 'i1', ts: 1_700_000_000 },
  { user: 'outage-u2', item: 'i2', ts: 1_700_000_001 },
];

/** The interactions of the users the test posts, as the database holds them. */
async function postedRows(db: string): Promise<{ user: string; n: number }[]> {
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    const { rows } = await client.query<{ user: string; n: number }>(
      `select u.external_id as "user", count(*)::int as n from interactions x join users u on u.id = x.user_id
       where u.external_id like 'outage-%' group by u.external_id order by u.external_id`,
    );
    return rows;
  } finally {
    await client.end();
  }
}

/** Polls `attempt` until it returns something, for at most `ms`. */
async function eventually<T>(attempt: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`nothing after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(skipWithoutPostgres())('serving while PostgreSQL is briefly unreachable', () => {
  const server = usePostgresServerHandle();

  it('answers reads from memory, refuses writes with 503 and writes nothing, and resumes when the server is back', async () => {
    const cwd = tmpDir();
    const db = await server().createDatabase();
    const ok = (args: string[]): void => {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`contrarec ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    };
    ok(['generate', '--out', 'log', '--users', '120', '--items', '80', '--interactions', '3000']);
    for (const kind of ['items', 'users', 'interactions']) ok(['ingest', kind, path.join('log', `${kind}.csv`), '--db', db]);
    ok(['train', '--db', db, ...TINY]);
    ok(['index', '--db', db]);

    const serve = await serveCli(['--db', db, '--watch-ms', '200'], 1, { CONTRAREC_ADMIN_TOKEN: TOKEN }, cwd);
    const post = (): Promise<Response> =>
      fetch(`${serve.url}/v1/interactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ interactions: ROWS }),
      });
    const get = (url: string): Promise<Response> => fetch(`${serve.url}${url}`);
    try {
      expect((await get('/v1/users/u1/recommendations?k=3')).status).toBe(200);

      await server().halt();
      // u2 was never asked before: its live vector needs the store, so it is answered as trained.
      for (const url of ['/v1/items/i1/similar?k=3', '/v1/users/u1/recommendations?k=3', '/v1/users/u2/recommendations?k=3', '/healthz']) {
        const res = await get(url);
        expect(res.status, `${url}: ${await res.clone().text()}`).toBe(200);
      }
      const refused = await post();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await refused.json()).toEqual({
        error: { code: 'database_unreachable', message: 'the database is unreachable; nothing was written; retry later' },
      });
      // A user only the store knows cannot be answered from memory.
      expect((await get('/v1/users/outage-u1/recommendations?k=3')).status).toBe(503);
      // Several polls of the registry's watch and of the live checks fail meanwhile: the outage is logged once.
      await new Promise((r) => setTimeout(r, 1500));
      expect(serve.child.exitCode).toBeNull();
      expect(serve.log().match(/the database is unreachable: answering reads from memory/g)).toHaveLength(1);

      await server().restart();
      const stored = await eventually(async () => {
        const res = await post();
        return res.status === 200 ? res.json() : undefined;
      }, 30_000);
      expect(stored).toEqual({ inserted: 2, duplicates: 0, rejected: [] });
      expect(await postedRows(db)).toEqual([
        { user: 'outage-u1', n: 1 },
        { user: 'outage-u2', n: 1 },
      ]);
      // Live serving reads the store again: a user it holds only there is answered.
      expect((await get('/v1/users/outage-u1/recommendations?k=3')).status).toBe(200);
      await eventually(async () => (serve.log().includes('the database is reachable again') ? true : undefined), 10_000);
      expect(serve.log()).not.toContain('unhandled error');
      expect(serve.child.exitCode).toBeNull();
    } finally {
      await stopChild(serve.child);
    }
  }, 300_000);
});
