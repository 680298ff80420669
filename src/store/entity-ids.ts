import type BetterSqlite3 from 'better-sqlite3';

/** Rows per multi-row INSERT: fewer native calls per row, well under SQLite's 32766 variables. */
export const ROWS_PER_STATEMENT = 128;

/** SQL for a multi-row INSERT of `rows` tuples of `cols` placeholders. */
export function insertSql(target: string, cols: number, rows: number, ignore: boolean): string {
  const tuple = `(${Array.from({ length: cols }, () => '?').join(', ')})`;
  return `insert ${ignore ? 'or ignore ' : ''}into ${target} values ${Array.from({ length: rows }, () => tuple).join(', ')}`;
}

/**
 * External id → internal id for one entity table. In bulk mode (file ingest) the map mirrors
 * the whole table, so a miss means "new": the entity gets the next id at once and is inserted
 * in multi-row statements. That is safe because ids are only handed out inside the writer's own
 * write transaction (which excludes every other writer), after `refresh` has picked up what
 * other writers created, or reloaded everything if some entity was deleted (a rolled-back
 * batch removes the entities it created). In lookup mode (small API writes) nothing is
 * preloaded and each unseen id is looked up or inserted on its own.
 */
export class EntityIds {
  private readonly ids = new Map<string, number>();
  private maxId = 0;
  private committedMaxId = 0;
  /**
   * Bumped whenever ids this object handed out may have become invalid (a full reload after
   * another writer deleted entities, or a rolled-back transaction), so that callers caching
   * ids (the encoded-row path of the interaction writer) know to drop their cache.
   */
  generation = 0;
  private pending: string[] = [];
  private readonly buf: (number | string)[] = [];
  private readonly since: BetterSqlite3.Statement;
  private readonly count: BetterSqlite3.Statement;
  private readonly find: BetterSqlite3.Statement;
  private readonly create: BetterSqlite3.Statement;
  private readonly insertMany: BetterSqlite3.Statement;
  private readonly insertOne: BetterSqlite3.Statement;

  constructor(
    sqlite: BetterSqlite3.Database,
    table: 'users' | 'items',
    private readonly batchId: number,
    private readonly now: number,
    private readonly bulk: boolean,
  ) {
    this.since = sqlite.prepare(`select external_id, id from ${table} where id > ? order by id`).raw();
    this.count = sqlite.prepare(`select count(*) from ${table}`).pluck();
    this.find = sqlite.prepare(`select id from ${table} where external_id = ?`).pluck();
    this.create = sqlite.prepare(`insert into ${table} (external_id, batch_id, created_at) values (?, ?, ?)`);
    this.insertMany = sqlite.prepare(insertSql(`${table} (id, external_id, batch_id, created_at)`, 4, ROWS_PER_STATEMENT, false));
    this.insertOne = sqlite.prepare(insertSql(`${table} (id, external_id, batch_id, created_at)`, 4, 1, false));
  }

  /** Catches up with other writers. Call first thing inside each write transaction. */
  refresh(): void {
    if (!this.bulk) return;
    for (const [ext, id] of this.since.iterate(this.committedMaxId) as IterableIterator<[string, number]>) {
      this.ids.set(ext, id);
      this.committedMaxId = id;
    }
    if ((this.count.get() as number) !== this.ids.size) {
      this.generation++;
      this.ids.clear();
      this.committedMaxId = 0;
      this.refresh();
    }
    this.maxId = this.committedMaxId;
  }

  idOf(externalId: string): number {
    const known = this.ids.get(externalId);
    if (known !== undefined) return known;
    let id: number;
    if (this.bulk) {
      id = ++this.maxId;
      this.buf.push(id, externalId, this.batchId, this.now);
      if (this.buf.length === ROWS_PER_STATEMENT * 4) this.flush();
      this.pending.push(externalId);
    } else {
      const found = this.find.get(externalId) as number | undefined;
      if (found !== undefined) id = found;
      else {
        id = Number(this.create.run(externalId, this.batchId, this.now).lastInsertRowid);
        this.pending.push(externalId);
      }
    }
    this.ids.set(externalId, id);
    return id;
  }

  /** Inserts the buffered new entities. */
  flush(): void {
    if (this.buf.length === ROWS_PER_STATEMENT * 4) this.insertMany.run(this.buf);
    else for (let k = 0; k < this.buf.length; k += 4) this.insertOne.run(this.buf[k], this.buf[k + 1], this.buf[k + 2], this.buf[k + 3]);
    this.buf.length = 0;
  }

  /** The transaction that created the pending ids committed: they are now safe to reuse. */
  settle(): void {
    this.pending = [];
    this.committedMaxId = Math.max(this.committedMaxId, this.maxId);
  }

  /** The transaction rolled back: ids created in it no longer exist. */
  forgetPending(): void {
    this.generation++;
    for (const ext of this.pending) this.ids.delete(ext);
    this.pending = [];
    this.buf.length = 0;
    this.maxId = this.committedMaxId;
  }
}
