import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { modelsDirFor } from '../../src/common/paths.js';
import { versionDir } from '../../src/model/artifact/artifact-layout.js';
import { buildIndexFromArtifact } from '../../src/index/index.js';
import { activateModel, insertModel, readInteractionLog, type Store } from '../../src/store/index.js';
import { naiveCosineRanking } from '../index/vector-index-suite.js';
import { randomSides, writeTestArtifact, type TestSide } from '../index/test-artifact.js';

/** A model version written to disk for a server test, with the vectors to check answers against. */
export interface TestModel {
  readonly version: string;
  readonly dim: number;
  readonly items: TestSide;
  readonly users: TestSide;
}

export const DIM = 16;

/** A fresh temp folder; the database goes in it, models in its `models/`. */
export async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'contrarec-serve-'));
}

/**
 * Writes version `version` (random unit vectors from `seed`: items i0…, users u0…) into the
 * models folder of `dbPath`, builds its HNSW index, registers it as ready and, if asked, activates it.
 */
export async function addModel(store: Store, dbPath: string, version: string, seed: number, activate: boolean, numItems = 200): Promise<TestModel> {
  const { items, users } = randomSides(numItems, 5, DIM, seed);
  const dir = versionDir(modelsDirFor(dbPath), version);
  await writeTestArtifact(dir, version, DIM, items, users);
  await buildIndexFromArtifact(dir);
  await insertModel(store, { version, status: 'ready' });
  if (activate) await activateModel(store, version);
  return { version, dim: DIM, items, users };
}

/** The right answer, by brute-force cosine over the model's item vectors. */
export function expectedTopK(
  model: TestModel,
  query: ArrayLike<number>,
  k: number,
  exclude: (id: string) => boolean = () => false,
): { id: string; score: number }[] {
  return naiveCosineRanking(model.items.ids, model.items.vectors, model.dim, query)
    .filter((e) => !exclude(e.id))
    .slice(0, k);
}

/** Row `id` of a side's vectors. */
export function vectorOf(side: TestSide, id: string, dim = DIM): Float32Array {
  const row = side.ids.indexOf(id);
  return side.vectors.subarray(row * dim, (row + 1) * dim);
}

/** A JSON answer: status and parsed body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads whatever JSON a route answers; the assertions check its shape
export async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text.length > 0 ? JSON.parse(text) : undefined };
}

/**
 * Every user's interacted items in the store, by external ids, read the plain way: the test's
 * oracle for what `exclude_seen` leaves out (the server reads them on its snapshot worker).
 */
export async function seenItemsOf(store: Store): Promise<ReadonlyMap<string, ReadonlySet<string>>> {
  const log = await readInteractionLog(store);
  const seen = new Map<string, Set<string>>();
  const { user, item } = log.interactions;
  for (let i = 0; i < user.length; i++) {
    const u = log.users[user[i]].externalId;
    let set = seen.get(u);
    if (set === undefined) seen.set(u, (set = new Set()));
    set.add(log.items[item[i]].externalId);
  }
  return seen;
}
