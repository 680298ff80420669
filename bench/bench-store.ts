/**
 * A store for the serving benchmarks (`bench:swap`, `bench:soak`): the synthetic log of
 * `syntheticLog(interactions, interactions / 10, users)` ingested through the real pipeline
 * (users and items with their features, then the interactions), cached in the OS temp folder, and
 * model versions registered in it as copies of a trained artifact folder.
 */
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { modelsDirFor } from '../src/common/paths.js';
import { DEFAULT_MAX_ERRORS, ingestFiles, prepareFiles } from '../src/ingest/index.js';
import { ARTIFACT_FILES, versionDir } from '../src/model/artifact/artifact-layout.js';
import { getModel, insertModel, openStore, type Store } from '../src/store/index.js';
import { syntheticLog } from './synthetic-log.js';

/** Items and users of the bench log of `interactions` rows (as bench:serve's trained model: 10 interactions an item, 10,000 users). */
export function benchShape(interactions: number): { readonly items: number; readonly users: number } {
  return { items: Math.round(interactions / 10), users: Math.min(10_000, Math.round(interactions / 10)) };
}

async function writeLines(file: string, header: string, n: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string): Promise<void> => (out.write(s) ? Promise.resolve() : new Promise((resolve) => out.once('drain', () => resolve())));
  await write(`${header}\n`);
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += `${line(i)}\n`;
    if (buf.length > 1 << 16) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** The cached database with the bench log ingested (built the first time, ~1 min for 1M interactions); returns its path. */
export async function ensureBenchStore(interactions: number): Promise<string> {
  const dir = path.join(tmpdir(), `contrarec-bench-store-${interactions}`);
  const dbPath = path.join(dir, 'contrarec.db');
  if (existsSync(path.join(dir, 'ready'))) return dbPath;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { items, users } = benchShape(interactions);
  const t = performance.now();
  const log = syntheticLog(interactions, items, users);
  const files = { users: path.join(dir, 'users.tsv'), items: path.join(dir, 'items.tsv'), interactions: path.join(dir, 'interactions.tsv') };
  await writeLines(files.users, 'user\tregion\tage', log.users.length, (i) => {
    const u = log.users[i];
    return `${u.externalId}\t${String(u.features['region'])}\t${String(u.features['age'])}`;
  });
  await writeLines(files.items, 'item\tcategory\ttags\tprice', log.items.length, (i) => {
    const it = log.items[i];
    const tags = it.features['tags'];
    return `${it.externalId}\t${String(it.features['category'])}\t${Array.isArray(tags) ? tags.join('|') : String(tags)}\t${String(it.features['price'])}`;
  });
  const { user, item, ts } = log.interactions;
  await writeLines(files.interactions, 'user\titem\tts', user.length, (k) => `${log.users[user[k]].externalId}\t${log.items[item[k]].externalId}\t${ts[k]}`);
  const store = await openStore(dbPath);
  try {
    const opts = { maxErrors: DEFAULT_MAX_ERRORS, multiSep: '|' };
    for (const kind of ['users', 'items', 'interactions'] as const) await ingestFiles(store, kind, await prepareFiles(kind, [files[kind]], {}), opts);
  } finally {
    store.close();
  }
  for (const f of Object.values(files)) rmSync(f);
  writeFileSync(path.join(dir, 'ready'), '');
  console.log(`bench store: ${interactions} interactions ingested in ${((performance.now() - t) / 1000).toFixed(0)} s (${dbPath})`);
  return dbPath;
}

/**
 * Registers a copy of the artifact folder `from` as version `version` (status ready, with the
 * configuration its manifest records, which a retrain reuses) in the store's models folder, its
 * manifest saying that version; does nothing when it is registered.
 */
export async function registerArtifactCopy(store: Store, dbPath: string, from: string, version: string): Promise<void> {
  if ((await getModel(store, version)) !== undefined) return;
  const to = versionDir(modelsDirFor(dbPath), version);
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  const manifestFile = path.join(to, ARTIFACT_FILES.manifest);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { config?: unknown };
  writeFileSync(manifestFile, JSON.stringify({ ...manifest, version }));
  await insertModel(store, { version, status: 'ready', config: manifest.config ?? null });
}
