import {
  finishBatch,
  insertRejects,
  openEntityWriter,
  widenKind,
  type BatchOutcome,
  type EntityUpsert,
  type EntityWriter,
  type FeatureKind,
  type RejectedRow,
  type Store,
} from '../store/index.js';
import { EntityLineParser } from './entity-line.js';
import type { IngestOptions, IngestSummary } from './ingest-options.js';
import { readRecordChunks } from './delimited-records.js';
import { delimiterOf } from './input-format.js';
import { readLineChunks, type LineChunk, type ReadProgress } from './line-reader.js';
import type { PreparedFile } from './prepare-files.js';
import { runBatch, type BatchCounts, type BatchWork, type BegunBatch, type ChunkContext } from './run-batch.js';

/**
 * Loads user or item side-feature files as one batch in one transaction: features are
 * upserted (merged into an existing entity's), feature kinds recorded in `feature_fields`.
 * Past --max-errors everything is rolled back and only the batch record and its rejects stay.
 */
export async function ingestEntities(store: Store, kind: 'users' | 'items', files: readonly PreparedFile[], opts: IngestOptions): Promise<IngestSummary> {
  const entity = kind === 'users' ? 'user' : 'item';
  return runBatch(
    store,
    { kind, files },
    opts,
    async (batch, progress) => new EntityBatch(files, entity, opts, { store, batch, progress, writer: await openEntityWriter(store, entity, batch.id) }),
  );
}

/** A run of lines from one users/items file, with the parser for that file. */
interface EntityChunk {
  readonly file: PreparedFile;
  readonly parser: EntityLineParser;
  readonly lines: LineChunk;
}

/**
 * The users'/items' part of a batch. Everything goes in one transaction, so a rollback undoes
 * it exactly; the rejects are held in memory until the end, because they must outlive that
 * rollback (they are written inside the transaction when it commits, after it when it does not).
 */
class EntityBatch implements BatchWork<EntityChunk> {
  private readonly writer: EntityWriter;
  private readonly rejects: RejectedRow[] = [];
  /** Kind of each feature field over the files read to the end. */
  private readonly kinds = new Map<string, FeatureKind>();
  private readonly counts = { inserted: 0, updated: 0, unchanged: 0 };

  private readonly store: Store;
  private readonly batch: BegunBatch;
  private readonly progress: ReadProgress;

  constructor(
    private readonly files: readonly PreparedFile[],
    private readonly entity: 'user' | 'item',
    private readonly opts: IngestOptions,
    open: { readonly store: Store; readonly batch: BegunBatch; readonly progress: ReadProgress; readonly writer: EntityWriter },
  ) {
    ({ store: this.store, batch: this.batch, progress: this.progress, writer: this.writer } = open);
  }

  async *chunks(): AsyncGenerator<EntityChunk> {
    for (const file of this.files) {
      const parser = new EntityLineParser(file, this.entity, this.opts);
      const chunks =
        file.format === 'jsonl'
          ? readLineChunks(file.absPath, this.progress)
          : readRecordChunks(file.absPath, file.headerLine, delimiterOf(file.format), file.format === 'csv', this.progress);
      for await (const lines of chunks) yield { file, parser, lines };
      for (const [name, k] of parser.kinds) this.kinds.set(name, widenKind(this.kinds.get(name) ?? k, k));
    }
  }

  async write({ file, parser, lines: { lines, firstLine, invalidUtf8, lineNumbers, refused } }: EntityChunk, ctx: ChunkContext): Promise<void> {
    const good: EntityUpsert[] = [];
    for (let k = 0; k < lines.length; k++) {
      const lineNo = lineNumbers === undefined ? firstLine + k : lineNumbers[k];
      const line = lines[k];
      if (lineNo <= file.headerLine || line.trim() === '') continue;
      ctx.countRows(1);
      const row = refused?.get(k) ?? (invalidUtf8 !== null && invalidUtf8.has(k) ? 'invalid UTF-8' : parser.parse(line));
      if (typeof row === 'string') {
        const rejected = { file: file.file, line: lineNo, raw: line, reason: row };
        ctx.reject(rejected);
        this.rejects.push(rejected);
      } else {
        good.push({ externalId: row.id, features: row.features });
      }
    }
    const counts = await this.writer.upsert(good);
    for (const outcome of ['inserted', 'updated', 'unchanged'] as const) this.counts[outcome] += counts[outcome];
    ctx.report();
  }

  async flush(): Promise<void> {
    // Nothing is buffered: the one transaction is committed by keep().
  }

  /** An undone entity batch stored nothing (one transaction), so it records no duplicates. */
  get duplicates(): number {
    return 0;
  }

  async discard(outcome: Omit<BatchOutcome, 'status'>): Promise<void> {
    await this.writer.abort();
    await insertRejects(this.store, this.batch.id, this.rejects);
    await finishBatch(this.store, this.batch.id, { ...outcome, status: 'rolled_back' });
  }

  async keep(): Promise<BatchCounts> {
    await this.writer.declareFields(this.kinds);
    await this.writer.reject(this.rejects);
    await this.writer.commit();
    return { inserted: this.counts.inserted, updated: this.counts.updated, duplicates: this.counts.unchanged };
  }
}
