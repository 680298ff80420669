import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateStoredModel } from '../../src/eval/evaluate-stored-model.js';
import { buildIndexFromArtifact } from '../../src/index/index.js';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { chronologicalSplit, syntheticRows, trainOnSyntheticSplit, writeTsv } from '../eval/synthetic-split.js';

// The same protocol measured twice: inside (`evaluateStoredModel --test`, exact full ranking)
// and from outside through the HTTP API (HNSW, `exclude_seen`), on one model and one test set.
const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-agree-'));
const split = chronologicalSplit(syntheticRows());
let dbPath = '';
let server: RunningServer;

beforeAll(async () => {
  const trained = await trainOnSyntheticSplit(dir, split);
  dbPath = trained.dbPath;
  await buildIndexFromArtifact(trained.artifactDir);
  server = await startServer({ host: '127.0.0.1', port: 0, dbPath, log: () => {} });
}, 180_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('internal evaluation and the HTTP API agree', () => {
  it('Recall@20 on the test split is the same through GET /v1/users/:id/recommendations (within 0.001)', async () => {
    const inside = await evaluateStoredModel({ dbPath, split: 'test', ks: [20], testFile: writeTsv(dir, 'test.tsv', split.test) });

    const truth = new Map<string, Set<string>>();
    for (const r of split.test) truth.set(r.user, (truth.get(r.user) ?? new Set()).add(r.item));
    let recall = 0;
    for (const [user, items] of truth) {
      const res = await fetch(`${server.url}/v1/users/${encodeURIComponent(user)}/recommendations?k=20`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: { id: string; score: number }[] };
      expect(body.items).toHaveLength(20);
      recall += body.items.filter((x) => items.has(x.id)).length / items.size;
    }
    const outside = recall / truth.size;

    expect(inside.evaluatedUsers).toBe(truth.size);
    expect(Math.abs(inside.atK[0].recall - outside)).toBeLessThanOrEqual(0.001);
    expect(outside).toBeGreaterThan(20 / 200); // a trained model, not chance: the agreement is not trivial
  });
});
