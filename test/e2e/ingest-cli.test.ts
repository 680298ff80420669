import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countRows, integrityCheck, listBatches, listRejects, openStore, readInteractionLog } from '../../src/store/index.js';
import { ingest, REPO_ROOT, tmpDir, writeInput } from '../ingest/helpers.js';
import { describeEachDialect } from '../store/store-dialects.js';

// Runs the built CLI (`npm run build` first; `npm test` does).
const CLI = path.join(REPO_ROOT, 'dist/src/cli.js');

function cli(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// What every store must keep: summaries and idempotent re-runs, --max-errors rollback naming
// file:line, and resuming a batch after kill -9, on each dialect.
describeEachDialect('contrarec ingest / stats / init (CLI)', (freshDb) => {
  it('ingests, prints a one-line summary, is idempotent, and stats reports the result', async () => {
    const dir = tmpDir();
    const db = await freshDb();
    const file = writeInput(dir, 'a.csv', 'user,item,ts\nu1,i1,1\nu2,i1,2\nu1,i2,3\n');
    expect(cli(['init', '--db', db])).toEqual({
      code: 0,
      stdout: `${db}: applied 0001-initial-schema, 0002-retrain-lease, 0003-live-serving-indexes, 0004-artifact-files, 0005-idempotency-keys\n`,
      stderr: '',
    });
    expect(cli(['ingest', 'interactions', file, '--db', db])).toEqual({
      code: 0,
      stdout: 'interactions: read 3, inserted 3, duplicates 0, rejected 0\n',
      stderr: '',
    });
    // $CONTRAREC_DB is the default when --db is absent.
    expect(cli(['ingest', 'interactions', file], { CONTRAREC_DB: db }).stdout).toBe('interactions: read 3, inserted 0, duplicates 3, rejected 0\n');
    const stats = cli(['stats', '--db', db, '--json']);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({
      users: 2,
      items: 2,
      interactions: 3,
      topItems: [
        { externalId: 'i1', interactions: 2 },
        { externalId: 'i2', interactions: 1 },
      ],
    });
    expect(cli(['stats', '--db', db]).stdout).toContain('interactions   3\n');
  });

  it('exits 1 naming the first bad lines when --max-errors is exceeded', async () => {
    const dir = tmpDir();
    const db = await freshDb();
    const file = writeInput(dir, 'b.csv', 'user,item,ts\nu1,i1,1\n,i1,2\nu1,i2,later\n');
    const r = cli(['ingest', 'interactions', file, '--db', db, '--max-errors', '1']);
    expect(r).toEqual({
      code: 1,
      stdout: 'interactions: read 3, inserted 0, duplicates 0, rejected 2 — ROLLED BACK\n',
      stderr:
        'contrarec: batch 1 rolled back: 2 of 3 rows rejected (--max-errors 1); first bad lines:\n' +
        `${file}:3: missing user id\n${file}:4: bad timestamp "later"\n`,
    });
  });

  it('survives kill -9 mid-ingest: the database stays sound and re-running the command completes the batch', async () => {
    const dir = tmpDir();
    const db = await freshDb();
    const rows = 600_000;
    const lines = ['user_id,item_id,timestamp'];
    for (let k = 0; k < rows; k++) lines.push(`u${k % 5000},i${(k * 7) % 3000},${1_600_000_000 + k}`);
    const file = writeInput(dir, 'big.csv', `${lines.join('\n')}\n`);

    const child = spawn(process.execPath, [CLI, 'ingest', 'interactions', file, '--db', db], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill as soon as the first chunk is committed.
    for (let seen = 0; seen === 0;) {
      await new Promise((r) => setTimeout(r, 20));
      try {
        const probe = await openStore(db, { readonly: true });
        seen = (await countRows(probe)).interactions;
        probe.close();
      } catch {
        // Not created or not migrated yet.
      }
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const after = await openStore(db);
    expect(await integrityCheck(after)).toEqual([]);
    const partial = (await countRows(after)).interactions;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(rows);
    expect(partial % 50_000).toBe(0); // whole chunks only
    expect((await listBatches(after))[0]).toMatchObject({ status: 'running', kind: 'interactions' });
    after.close();

    const rerun = cli(['ingest', 'interactions', file, '--db', db]);
    expect(rerun).toEqual({
      code: 0,
      stdout: `interactions: read ${rows}, inserted ${rows}, duplicates 0, rejected 0 (resumed)\n`,
      stderr: '',
    });
    const done = await openStore(db);
    expect(await integrityCheck(done)).toEqual([]);
    expect(await countRows(done)).toMatchObject({ interactions: rows, users: 5000, items: 3000, ingest_batches: 1 });
    expect((await listBatches(done))[0]).toMatchObject({ status: 'complete', rowsRead: rows, rowsInserted: rows, duplicates: 0 });
    done.close();
  });
});

describe('contrarec ingest / stats / init (CLI)', () => {
  it('exits 2 with one line and leaves no database behind for a missing file, an empty file, a bad header', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'never.db');
    const empty = writeInput(dir, 'empty.csv', '');
    const header = writeInput(dir, 'h.csv', 'user,ts\nu1,1\n');
    const missing = path.join(dir, 'missing.csv');
    expect(cli(['ingest', 'interactions', missing, '--db', db])).toEqual({ code: 2, stdout: '', stderr: `contrarec: ${missing}: no such file\n` });
    expect(cli(['ingest', 'interactions', empty, '--db', db])).toEqual({ code: 2, stdout: '', stderr: `contrarec: ${empty}: file is empty\n` });
    expect(cli(['ingest', 'interactions', header, '--db', db])).toEqual({
      code: 2,
      stdout: '',
      stderr: `contrarec: ${header}: header has no item column (expected one of item_id, item, itemid, or --item-col)\n`,
    });
    expect(cli(['ingest', 'things', header, '--db', db]).stderr).toBe('contrarec: ingest: kind must be interactions, users or items (got "things")\n');
    expect(fs.existsSync(db)).toBe(false);
  });

  it('says when a file has no time column, stats shows the untimed share, and entity-only flags refuse interactions', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'u.db');
    const file = writeInput(dir, 'u.tsv', 'user_id\titem_id\trating\nu1\ti1\t1\nu1\ti2\t1\n');
    expect(cli(['ingest', 'interactions', file, '--db', db])).toEqual({
      code: 0,
      stdout: 'interactions: read 2, inserted 2, duplicates 0, rejected 0\n',
      stderr: `contrarec: ${file}: no time column (timestamp, ts, time or --time-col): its interactions are stored untimed\n`,
    });
    expect(cli(['stats', '--db', db]).stdout).toContain('time range     -\nuntimed        100.0 %\ntied times     -\n');
    expect(cli(['ingest', 'interactions', file, '--db', db, '--ignore-cols', 'rating'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'contrarec: --ignore-cols, --multi-cols and --missing-values apply to users and items files only\n',
    });
    const help = cli(['ingest', '--help']).stdout;
    for (const flag of ['--weight-col', '--ignore-cols', '--multi-cols', '--missing-values', '--item-col Book_ID']) expect(help).toContain(flag);
  });

  it('parses a large file on a worker thread with exactly the result of in-thread parsing', async () => {
    // The built CLI parses inputs of 1 MiB and more on its worker; under vitest the TypeScript
    // sources have no compiled worker beside them, so `ingest()` parses on the test's thread.
    expect(fs.existsSync(path.join(REPO_ROOT, 'dist/src/ingest/interaction-parse-worker.js'))).toBe(true);
    const dir = tmpDir();
    const parts: Buffer[] = [Buffer.from('user_id,item_id,timestamp,rating,event\n')];
    let size = parts[0].length;
    for (let k = 0; k < 45_000; k++) {
      const u = `u${(k * 31) % 7000}`;
      const i = `i${(k * 17) % 4000}`;
      let line = `${u},${i},${1_600_000_000 + (k >> 1)},${k % 5},${k % 3 === 0 ? 'buy' : 'view'}`;
      // A CSV record over two lines (a quoted rating "3\r\n   "), and one that starts just before the
      // first 1 MiB read ends and ends after it, so that the worker carries it from one block to the next.
      if (k % 1303 === 0 || (size >= (1 << 20) - 100 && size < (1 << 20) - 40)) line = `${u},${i},${1_600_000_000 + k},"3\r\n${' '.repeat(100)}",view`;
      if (k % 997 === 0) line = `"${u}",${i},${1_600_000_000 + k},4.5,"view"`; // quoted: string path
      if (k % 1499 === 0) line = `${u},${i},later,1,view`; // rejected: bad timestamp
      if (k % 1201 === 0) line = ` ü${k % 50} ,${i},${k},2,view`; // spaces, non-ASCII id
      if (k % 1601 === 0) line += '\r'; // CRLF
      parts.push(Buffer.from(`${line}\n`));
      if (k % 2003 === 0) parts.push(Buffer.from([0x75, 0xff, 0x2c, 0x69, 0x2c, 0x31, 0x0a])); // invalid UTF-8
      size += Buffer.byteLength(line) + 1 + (k % 2003 === 0 ? 7 : 0);
    }
    const whole = Buffer.concat(parts);
    // The first 1 MiB read ends inside that record: its last line feed is the one inside the quotes.
    const lf = whole.lastIndexOf(10, (1 << 20) - 1);
    expect(whole.toString('latin1', lf - 3, lf)).toBe('"3\r');
    const file = writeInput(dir, 'big.csv', whole);
    expect(fs.statSync(file).size).toBeGreaterThan(1 << 20);

    const viaWorker = path.join(dir, 'w.db');
    const r = cli(['ingest', 'interactions', file, '--db', viaWorker]);
    const inThread = await openStore(path.join(dir, 't.db'));
    const summary = await ingest(inThread, 'interactions', [file]);
    // 45,000 lines + 23 invalid UTF-8 lines (k = 0, 2003, …, 44066); rejects: 30 bad timestamps
    // (k = 1499, …, 44970; k = 0 became the ü line) + 23 invalid UTF-8 = 53.
    expect(summary).toMatchObject({ status: 'complete', rowsRead: 45_023, rejected: 53 });
    expect(r).toEqual({
      code: 0,
      stdout: `interactions: read 45023, inserted ${summary.inserted}, duplicates ${summary.duplicates}, rejected 53\n`,
      // A kept batch with rejects names its first rejected lines too.
      stderr: `contrarec: rejected lines (first 5 of 53):\n${summary.firstRejects.map((x) => `${file}:${x.line}: ${x.reason}\n`).join('')}`,
    });
    const worker = await openStore(viaWorker);
    expect(await integrityCheck(worker)).toEqual([]);
    expect(await readInteractionLog(worker)).toEqual(await readInteractionLog(inThread));
    expect(await listRejects(worker, 1, 1000)).toEqual(await listRejects(inThread, 1, 1000));
    worker.close();
    inThread.close();
  });
});
