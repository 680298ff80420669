import { createHash } from 'node:crypto';
import { dialectOf, kyselyOf, type Store } from './store.js';

/**
 * The largest chunk a writer should hand over: big enough that a file is few rows, small enough
 * that neither side holds more than one chunk of it at a time (PostgreSQL caps a bytea at 1 GiB).
 */
export const ARTIFACT_CHUNK_BYTES = 4 * 1024 * 1024;

/** One file of a version's artifact as the database holds it. */
export interface StoredArtifactFile {
  readonly file: string;
  readonly size: number;
  /** Hex sha256 of the file's bytes. */
  readonly sha256: string;
}

/** A file to store: its name in the version folder and its bytes, chunk by chunk. */
export interface ArtifactFileSource {
  readonly file: string;
  readonly chunks: AsyncIterable<Uint8Array>;
}

/**
 * Whether this store keeps model artifacts in the database: PostgreSQL does, so that every
 * machine with the URL can load them; a SQLite database keeps them in folders beside its file.
 */
export function storesArtifacts(store: Store): boolean {
  return dialectOf(store).dialect === 'postgres';
}

/**
 * Stores `sources` as files of `version`, replacing any stored file of the same name, in one
 * transaction: a reader sees either the old files or all the new ones. Each chunk is written as
 * it arrives and hashed on the way, so a file is never in memory whole. Returns what was stored.
 */
export async function writeArtifactFiles(store: Store, version: string, sources: readonly ArtifactFileSource[]): Promise<StoredArtifactFile[]> {
  return kyselyOf(store)
    .transaction()
    .execute(async (tx) => {
      const stored: StoredArtifactFile[] = [];
      for (const { file, chunks } of sources) {
        await tx.deleteFrom('model_artifact_chunks').where('version', '=', version).where('file', '=', file).execute();
        await tx.deleteFrom('model_artifact_files').where('version', '=', version).where('file', '=', file).execute();
        const hash = createHash('sha256');
        let size = 0;
        let seq = 0;
        for await (const chunk of chunks) {
          hash.update(chunk);
          size += chunk.byteLength;
          await tx.insertInto('model_artifact_chunks').values({ version, file, seq: seq++, bytes: chunk }).execute();
        }
        const row = { version, file, size, sha256: hash.digest('hex') };
        await tx.insertInto('model_artifact_files').values(row).execute();
        stored.push({ file, size, sha256: row.sha256 });
      }
      return stored;
    });
}

/** The stored files of `version`, by name (empty when none are stored). */
export async function listArtifactFiles(store: Store, version: string): Promise<StoredArtifactFile[]> {
  const rows = await kyselyOf(store)
    .selectFrom('model_artifact_files')
    .select(['file', 'size', 'sha256'])
    .where('version', '=', version)
    .orderBy('file')
    .execute();
  return rows.map((r) => ({ file: r.file, size: Number(r.size), sha256: r.sha256 }));
}

/** The chunks of one stored file in order, fetched one query each so that only one is in memory. */
export async function* readArtifactChunks(store: Store, version: string, file: string): AsyncGenerator<Uint8Array> {
  for (let seq = 0; ; seq++) {
    const row = await kyselyOf(store)
      .selectFrom('model_artifact_chunks')
      .select('bytes')
      .where('version', '=', version)
      .where('file', '=', file)
      .where('seq', '=', seq)
      .executeTakeFirst();
    if (row === undefined) return;
    yield row.bytes;
  }
}

/** The versions that have stored files. */
export async function listStoredArtifactVersions(store: Store): Promise<Set<string>> {
  const rows = await kyselyOf(store).selectFrom('model_artifact_files').select('version').distinct().execute();
  return new Set(rows.map((r) => r.version));
}

/** Deletes every stored file of `version`, in one transaction. */
export async function deleteArtifactFiles(store: Store, version: string): Promise<void> {
  await kyselyOf(store)
    .transaction()
    .execute(async (tx) => {
      await tx.deleteFrom('model_artifact_chunks').where('version', '=', version).execute();
      await tx.deleteFrom('model_artifact_files').where('version', '=', version).execute();
    });
}
