import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestInteractionRows } from '../../src/ingest/ingest-rows.js';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { openStore, readStats, type Store } from '../../src/store/index.js';
import { REPO_ROOT } from '../ingest/helpers.js';
import { addModel, getJson, tempDir } from '../serve/serve-fixture.js';

const CLI = path.join(REPO_ROOT, 'dist/src/cli.js');

function cli(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Rows an older version (or a hand edit) may have left, written with SQL past every ingest rule:
 * times outside the Date range, an infinite and a NaN weight, a 10 MiB id, a model whose times
 * are not dates. Issue 19: reads of such a database exited 1 or answered 500.
 */
function writeOddRows(dbPath: string): void {
  const sqlite = new Database(dbPath);
  try {
    const user = (ext: string): number => sqlite.prepare('select id from users where external_id = ?').pluck().get(ext) as number;
    const item = (ext: string): number => sqlite.prepare('select id from items where external_id = ?').pluck().get(ext) as number;
    sqlite.prepare(`insert into users (external_id, features, created_at) values (replace(hex(zeroblob(10485760)), '00', 'x'), '{}', 0)`).run();
    const huge = sqlite.prepare('select id from users where length(external_id) = 10485760').pluck().get() as number;
    const add = sqlite.prepare('insert into interactions (ts, user_id, item_id, event, weight) values (?, ?, ?, ?, ?)');
    add.run(8_640_000_000_001, user('u0'), item('i1'), '', 1);
    add.run(9e15, user('u0'), item('i2'), 'view', 1);
    add.run(-9e15, user('u0'), item('i2'), '', 1);
    sqlite.prepare(`insert into interactions (ts, user_id, item_id, event, weight) values (5, ?, ?, 'inf', 9e999)`).run(user('u0'), item('i1'));
    sqlite.prepare(`insert into interactions (ts, user_id, item_id, event, weight) values (6, ?, ?, 'nan', 'NaN')`).run(user('u0'), item('i1'));
    add.run(7, huge, item('i1'), '', 1);
    sqlite.prepare(`update models set created_at = 9e15, finished_at = -9e15, data_from = 8640000000001, data_to = 9e15 where version = 'v1'`).run();
  } finally {
    sqlite.close();
  }
}

describe('reads survive one odd row already in the database', () => {
  let dir: string;
  let dbPath: string;
  let store: Store;
  let server: RunningServer;

  beforeAll(async () => {
    dir = await tempDir();
    dbPath = path.join(dir, 'contrarec.db');
    store = await openStore(dbPath);
    await addModel(store, dbPath, 'v1', 1, true);
    await ingestInteractionRows(
      store,
      [
        { user: 'u0', item: 'i1', ts: 1_700_000_000 },
        { user: 'u0', item: 'i2', ts: 1_700_000_100 },
      ],
      { source: 'test' },
    );
    store.close();
    writeOddRows(dbPath);
    store = await openStore(dbPath);
    server = await startServer({ host: '127.0.0.1', port: 0, dbPath, watchIntervalMs: 60_000, log: () => {} });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('contrarec stats (text and --json) exits 0', async () => {
    expect((await readStats(store)).interactions).toBe(8);
    const text = cli(['stats', '--db', dbPath]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('(not a date)');
    const json = cli(['stats', '--db', dbPath, '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ interactions: 8 });
  });

  it('contrarec models list exits 0', async () => {
    const r = cli(['models', 'list', '--db', dbPath]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^v1\s+active\s+-\s+-/m);
  });

  it('every read route answers 200, never 500', async () => {
    const paths = [
      '/v1/models',
      '/v1/users/u0/recommendations?k=5',
      '/v1/items/i1/similar?k=5',
      '/console/api/users/u0?history=500',
      '/console/api/models/v1',
      '/console/api/items/i1',
    ];
    for (const p of paths) {
      const r = await getJson(`${server.url}${p}`);
      expect(r.status, `${p}: ${JSON.stringify(r.body)}`).toBe(200);
    }
    const user = await getJson(`${server.url}/console/api/users/u0?history=500`);
    expect(user.body.recent.filter((h: { at: string | null }) => h.at === null)).toHaveLength(3);
    expect((await getJson(`${server.url}/console/api/models/v1`)).body).toMatchObject({ createdAt: null, finishedAt: null, dataFrom: null, dataTo: null });
  });
});
