import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countRows, integrityCheck, openStore, type Store } from '../../src/store/index.js';
import { sqliteOf } from '../../src/store/store.js';
import { tmpDir } from '../ingest/helpers.js';

describe('openStore', () => {
  const opened: Store[] = [];
  afterEach(() => opened.splice(0).forEach((s) => s.close()));

  it('creates the directory and file, migrates an empty file, and is a no-op the second time', async () => {
    const file = path.join(tmpDir(), 'nested', 'deeper', 'c.db');
    const first = await openStore(file);
    opened.push(first);
    expect(fs.existsSync(file)).toBe(true);
    expect(first.appliedMigrations).toEqual([
      '0001-initial-schema',
      '0002-retrain-lease',
      '0003-live-serving-indexes',
      '0004-artifact-files',
      '0005-idempotency-keys',
    ]);
    expect(await countRows(first)).toEqual({ users: 0, items: 0, interactions: 0, rejected_rows: 0, ingest_batches: 0 });
    first.close();
    const again = await openStore(file);
    opened.push(again);
    expect(again.appliedMigrations).toEqual([]);
    expect(await integrityCheck(again)).toEqual([]);
  });

  it('migrates a zero-byte file that already exists', async () => {
    const file = path.join(tmpDir(), 'empty.db');
    fs.writeFileSync(file, '');
    const store = await openStore(file);
    opened.push(store);
    expect(store.appliedMigrations).toEqual([
      '0001-initial-schema',
      '0002-retrain-lease',
      '0003-live-serving-indexes',
      '0004-artifact-files',
      '0005-idempotency-keys',
    ]);
  });

  it('uses WAL, foreign keys and a busy timeout', async () => {
    const store = await openStore(path.join(tmpDir(), 'p.db'));
    opened.push(store);
    const { sqlite } = sqliteOf(store);
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    // Foreign keys are enforced: an interaction cannot point at a missing user.
    expect(() => sqlite.prepare('insert into interactions (user_id, item_id, ts) values (99, 99, 1)').run()).toThrow('FOREIGN KEY constraint failed');
  });

  it('refuses a store it did not open', async () => {
    await expect(countRows({ path: 'x', appliedMigrations: [], close: async () => {} })).rejects.toThrow('not a store opened by openStore()');
  });
});
