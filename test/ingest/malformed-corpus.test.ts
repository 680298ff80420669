import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { listBatches, listRejects, openStore } from '../../src/store/index.js';
import { REPO_ROOT, tmpDir } from './helpers.js';
import { SEED, writeCorpus } from './malformed-corpus.js';

// Runs the built CLI (`npm run build` first; `npm test` does).
const CLI = path.join(REPO_ROOT, 'dist/src/cli.js');

function cli(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A digest of what ingest must never change for good rows: interactions (by external ids), users, items, feature fields. */
function digest(db: string): string {
  const sqlite = new Database(db, { readonly: true });
  try {
    const rows = [
      sqlite
        .prepare(
          `select x.ts, u.external_id, i.external_id, x.event, x.weight, x.batch_id from interactions x
           join users u on u.id = x.user_id join items i on i.id = x.item_id order by 1, 2, 3, 4`,
        )
        .raw()
        .all(),
      sqlite.prepare('select id, external_id, features, batch_id, created_at from users order by id').raw().all(),
      sqlite.prepare('select id, external_id, features, deleted_at, batch_id, created_at from items order by id').raw().all(),
      sqlite.prepare('select * from feature_fields order by 1, 2').raw().all(),
    ];
    return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
  } finally {
    sqlite.close();
  }
}

describe('the malformed-file corpus, through the real CLI, into a database that holds good rows', () => {
  const dir = tmpDir();
  const cases = writeCorpus(dir);
  let seeded: string;

  beforeAll(() => {
    seeded = path.join(dir, 'seeded.db');
    for (const kind of ['items', 'users', 'interactions'] as const) {
      const file = path.join(dir, `seed-${kind}.csv`);
      fs.writeFileSync(file, SEED[kind]);
      expect(cli(['ingest', kind, file, '--db', seeded])).toMatchObject({ code: 0, stderr: '' });
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const db = path.join(dir, `${c.file}.db`);
    fs.copyFileSync(seeded, db);
    const before = digest(db);
    const r = cli(['ingest', c.kind, c.path, '--db', db, ...(c.flags ?? [])]);
    expect(r.code, r.stderr).toBe(c.exitCode);
    for (const text of c.stderr ?? []) expect(r.stderr).toContain(text.replaceAll('FILE', c.path));
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr).not.toMatch(/cannot read:.*cannot read:/);
    if (c.rejects !== undefined) {
      const store = await openStore(db);
      try {
        const [last] = await listBatches(store);
        const got = await listRejects(store, last.id);
        expect(got.map((g) => g.line)).toEqual(c.rejects.map((x) => x.line));
        c.rejects.forEach((want, k) => expect(got[k].reason, `line ${want.line}`).toMatch(want.reason instanceof RegExp ? want.reason : exactly(want.reason)));
        expect(got.every((g) => g.file === c.path && !g.raw.includes('\r'))).toBe(true);
      } finally {
        store.close();
      }
      // A kept batch with rejects prints them too (line number and reason), as a rolled-back one does.
      const first = c.rejects[0];
      if (typeof first.reason === 'string') expect(r.stderr).toContain(`${c.path}:${first.line}: ${first.reason}`);
    }
    expect(digest(db), 'the good rows are untouched').toBe(before);
  });
});

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

describe('the record-rule flags of contrarec ingest', () => {
  it('are in --help, refuse a malformed range with exit 2 before the database is opened, and widen the rules when given', () => {
    const help = cli(['ingest', '--help']).stdout;
    for (const flag of ['--time-range <from..to>', '--rating-range <min..max>', '--weight-range <min..max>']) expect(help).toContain(flag);
    const dir = tmpDir();
    const db = path.join(dir, 'flags.db');
    const file = path.join(dir, 'jester.csv');
    fs.writeFileSync(file, 'user,item,ts,rating\nu1,i1,1000000000,-9.5\nu1,i2,1000000001,10\n');
    expect(cli(['ingest', 'interactions', file, '--db', db, '--time-range', 'yesterday..today'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'contrarec: --time-range: "yesterday" is not a date (YYYY-MM-DD) or unix seconds\n',
    });
    expect(cli(['ingest', 'users', file, '--db', db, '--rating-range', '0..5']).stderr).toBe(
      'contrarec: --time-range, --rating-range and --weight-range apply to interactions files only\n',
    );
    expect(fs.existsSync(db)).toBe(false);
    expect(cli(['ingest', 'interactions', file, '--db', db]).code).toBe(1); // -9.5: below the default 0
    expect(cli(['ingest', 'interactions', file, '--db', db, '--rating-range', '-10..10'])).toMatchObject({
      code: 0,
      stdout: 'interactions: read 2, inserted 2, duplicates 0, rejected 0\n',
    });
  });
});
