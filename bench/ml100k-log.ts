import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EntityRecord, FeatureField, InteractionLog } from '../src/store/interaction-log.js';

/** Repo-relative locations of the shared ml-100k data (read in place, never copied). */
export const ML100K_DATASET_DIR = path.resolve(import.meta.dirname, '../../../shared/datasets/ml-100k');
export const ML100K_SPLIT_DIR = path.resolve(import.meta.dirname, '../../../shared/benchmarks/ml-100k');

function rows(file: string): string[][] {
  return readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
}

/** Side-feature fields of ml-100k as the benchmark uses them. */
const FIELDS: FeatureField[] = [
  { entity: 'user', name: 'age', kind: 'numeric' },
  { entity: 'user', name: 'gender', kind: 'categorical' },
  { entity: 'user', name: 'occupation', kind: 'categorical' },
  { entity: 'user', name: 'zip_code', kind: 'categorical' },
  { entity: 'item', name: 'release_year', kind: 'categorical' },
  { entity: 'item', name: 'class', kind: 'multi' },
  { entity: 'item', name: 'title', kind: 'multi' },
];

/**
 * Bench-only loader (until the bench goes through the store's ingest): the ml-100k users and items
 * with their features, and the interactions of the given split files, each row tagged with the
 * index of the file it came from. Interactions sorted by (timestamp, user, item) as the store does.
 */
export function loadMl100k(splitFiles: readonly string[]): { log: InteractionLog; source: Uint8Array } {
  const users: EntityRecord[] = rows(path.join(ML100K_DATASET_DIR, 'ml-100k.user')).map(([id, age, gender, occupation, zip]) => ({
    externalId: id,
    features: { age: Number(age), gender, occupation, zip_code: zip },
  }));
  const items: EntityRecord[] = rows(path.join(ML100K_DATASET_DIR, 'ml-100k.item')).map(([id, title, year, cls]) => ({
    externalId: id,
    features: { release_year: year ?? '', class: (cls ?? '').split(' ').filter(Boolean), title: (title ?? '').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2) },
  }));
  const userIndex = new Map(users.map((u, i) => [u.externalId, i]));
  const itemIndex = new Map(items.map((u, i) => [u.externalId, i]));
  const all: { u: number; i: number; ts: number; src: number }[] = [];
  splitFiles.forEach((name, src) => {
    for (const [u, i, , ts] of rows(path.join(ML100K_SPLIT_DIR, name))) all.push({ u: userIndex.get(u)!, i: itemIndex.get(i)!, ts: Number(ts), src });
  });
  all.sort((a, b) => a.ts - b.ts || a.u - b.u || a.i - b.i);
  return {
    log: {
      users,
      items,
      featureFields: FIELDS,
      interactions: {
        user: Int32Array.from(all, (r) => r.u),
        item: Int32Array.from(all, (r) => r.i),
        ts: Float64Array.from(all, (r) => r.ts),
        weight: new Float32Array(all.length).fill(1),
      },
    },
    source: Uint8Array.from(all, (r) => r.src),
  };
}
