import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ARTIFACT_FILES } from '../../src/model/artifact/artifact-layout.js';
import { ensureLocalArtifact } from '../../src/model/artifact/ensure-local-artifact.js';
import { publishArtifact } from '../../src/model/artifact/publish-artifact.js';
import { applyRetention } from '../../src/retrain/apply-retention.js';
import { activateModel, insertModel, listStoredArtifactVersions, openStore, updateModel, type Store } from '../../src/store/index.js';
import { kyselyOf } from '../../src/store/store.js';
import { randomSides, writeTestArtifact } from '../index/test-artifact.js';
import { tmpDir } from '../ingest/helpers.js';
import { describeEachDialect } from '../store/store-dialects.js';

// A file larger than two chunks, so that chunk order and the streamed hash are exercised.
const BIG = 'big.bin';
const BIG_BYTES = 9 * 1024 * 1024 + 17;

/** A test artifact of `version` in a fresh folder, with {@link BIG} beside its files. */
async function artifactFolder(version: string): Promise<string> {
  const dir = path.join(tmpDir(), version);
  const { items, users } = randomSides(40, 10, 8, 7);
  await writeTestArtifact(dir, version, 8, items, users);
  writeFileSync(path.join(dir, BIG), randomBytes(BIG_BYTES));
  return dir;
}

const FILES: readonly string[] = [...Object.values(ARTIFACT_FILES), BIG];
const model = (version: string) => ({ version, artifactDir: null });

describeEachDialect('stored model artifacts', (freshDb, dialect) => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(await freshDb());
  });
  afterEach(() => store.close());

  if (dialect === 'sqlite') {
    it('stay in their local folder on SQLite: nothing stored, the folder returned as before', async () => {
      const dir = await artifactFolder('v1');
      await publishArtifact(store, 'v1', dir, FILES);
      expect(await listStoredArtifactVersions(store)).toEqual(new Set());
      expect(await ensureLocalArtifact(store, { version: 'v1', artifactDir: dir })).toBe(dir);
    });
    return;
  }

  it('download into an empty cache, byte for byte, and again when a cached file goes missing', async () => {
    const dir = await artifactFolder('v1');
    await publishArtifact(store, 'v1', dir, FILES);
    const chunks = await kyselyOf(store).selectFrom('model_artifact_chunks').select('seq').where('file', '=', BIG).execute();
    expect(chunks).toHaveLength(3);
    const cache = tmpDir();
    const local = await ensureLocalArtifact(store, model('v1'), cache);
    expect(local).toBe(path.join(cache, 'v1'));
    for (const file of FILES.filter((f) => existsSync(path.join(dir, f))))
      expect(readFileSync(path.join(local, file)).equals(readFileSync(path.join(dir, file)))).toBe(true);
    rmSync(path.join(local, ARTIFACT_FILES.itemEmbeddings));
    expect(await ensureLocalArtifact(store, model('v1'), cache)).toBe(local);
    expect(readFileSync(path.join(local, ARTIFACT_FILES.itemEmbeddings)).equals(readFileSync(path.join(dir, ARTIFACT_FILES.itemEmbeddings)))).toBe(true);
    expect(readdirSync(cache)).toEqual(['v1']);
  });

  it('refuse a corrupted chunk with an error naming the version and file, leaving nothing half-written', async () => {
    await publishArtifact(store, 'v1', await artifactFolder('v1'), FILES);
    await sql`update model_artifact_chunks set bytes = ${Buffer.from('garbage')} where file = ${BIG} and seq = 1`.execute(kyselyOf(store));
    const cache = tmpDir();
    await expect(ensureLocalArtifact(store, model('v1'), cache)).rejects.toThrow(/^model v1: the stored artifact file big\.bin fails its checksum/);
    expect(readdirSync(cache)).toEqual([]);
  });

  it('are deleted with the rows of a version retention removes', async () => {
    for (const version of ['v1', 'v2', 'v3']) {
      await insertModel(store, { version });
      await publishArtifact(store, version, await artifactFolder(version), FILES);
      await updateModel(store, version, { status: 'ready' });
    }
    await activateModel(store, 'v3');
    expect(await applyRetention(store, 1)).toEqual(['v2', 'v1']);
    expect(await listStoredArtifactVersions(store)).toEqual(new Set(['v3']));
    const versions = await kyselyOf(store).selectFrom('model_artifact_chunks').select('version').distinct().execute();
    expect(versions).toEqual([{ version: 'v3' }]);
  });
});
