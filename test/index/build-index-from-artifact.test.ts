import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerIndexCommand } from '../../src/commands/index-command.js';
import { modelsDirFor } from '../../src/common/paths.js';
import { buildIndexFromArtifact, HnswIndex, resolveModelArtifact } from '../../src/index/index.js';
import { activateModel, insertModel, openStore } from '../../src/store/index.js';
import { naiveCosineRanking } from './vector-index-suite.js';
import { randomSides, writeTestArtifact } from './test-artifact.js';

const dim = 16;
const { items, users } = randomSides(500, 3, dim, 5);

async function runIndexCommand(args: string[]): Promise<string> {
  const program = new Command('contrarec').exitOverride();
  registerIndexCommand(program);
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  try {
    await program.parseAsync(['node', 'contrarec', 'index', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}

describe('buildIndexFromArtifact and `contrarec index`', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'contrarec-artifact-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('indexes the item embeddings beside the artifact, answering like brute force', async () => {
    await writeTestArtifact(dir, 'v1', dim, items, users);
    const built = await buildIndexFromArtifact(dir);
    expect(built).toMatchObject({ version: 'v1', numItems: 500, dim });
    const loaded = await HnswIndex.load(dir);
    const q = users.vectors.subarray(0, dim);
    const expected = naiveCosineRanking(items.ids, items.vectors, dim, q).slice(0, 10);
    expect(loaded.search(q, 10).map((h) => h.id)).toEqual(expected.map((e) => e.id));
  });

  it('names the file when the artifact is inconsistent', async () => {
    await writeTestArtifact(dir, 'v1', dim, items, users);
    const vec = path.join(dir, 'item-embeddings.f32');
    await truncate(vec, 100);
    await expect(buildIndexFromArtifact(dir)).rejects.toThrow(`${vec}: 100 bytes, expected 500 × 16 × 4 = 32000`);
    await writeFile(path.join(dir, 'item-ids.json'), JSON.stringify(['a', 'b']));
    await expect(buildIndexFromArtifact(dir)).rejects.toThrow(`${path.join(dir, 'item-ids.json')}: 2 ids, manifest.json says numItems = 500`);
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ version: 'v1', dim: 0, numItems: 2, numUsers: 0 }));
    await expect(buildIndexFromArtifact(dir)).rejects.toThrow(`${path.join(dir, 'manifest.json')}: field "dim": Too small: expected number to be >=1`);
  });

  it('refuses rows that are not L2-normalised', async () => {
    const bad = items.vectors.slice();
    bad[3 * dim] += 0.5;
    await writeTestArtifact(dir, 'v1', dim, { ids: items.ids, vectors: bad }, users);
    await expect(buildIndexFromArtifact(dir)).rejects.toThrow(/^vector for id "i3" \(row 3\) has norm [\d.]+; the index takes L2-normalised vectors$/);
  });

  it('`contrarec index --artifact DIR` builds and reports', async () => {
    await writeTestArtifact(dir, 'v7', dim, items, users);
    const out = await runIndexCommand(['--artifact', dir, '--ef', '50']);
    expect(out).toMatch(new RegExp(`^indexed 500 items \\(16-d\\) of model v7 in [\\d.]+ s → ${path.join(dir, 'index.hnsw').replace(/[.\\/]/g, '\\$&')}\\n$`));
    expect((await HnswIndex.load(dir)).ef).toBe(50);
  });

  it('`contrarec index --db` indexes the active model from the registry, or says how to get one', async () => {
    const db = path.join(dir, 'contrarec.db');
    const store = await openStore(db);
    try {
      await expect(resolveModelArtifact(db)).rejects.toThrow(`no active model in ${db}: train one with \`contrarec train\`, or name a version with --model`);
      await insertModel(store, { version: 'v2', status: 'ready' });
      await activateModel(store, 'v2');
    } finally {
      store.close();
    }
    await writeTestArtifact(path.join(modelsDirFor(db), 'v2'), 'v2', dim, items, users);
    const out = await runIndexCommand(['--db', db]);
    expect(out).toContain('indexed 500 items (16-d) of model v2');
    expect((await HnswIndex.load(path.join(modelsDirFor(db), 'v2'))).size).toBe(500);
    await expect(resolveModelArtifact(db, 'v9')).rejects.toThrow(`no model version "v9" in ${db}`);
  });
});
