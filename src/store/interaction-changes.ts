import { kyselyOf, type Store } from './store.js';
import { UNTIMED_TS } from './untimed.js';

/** One interaction written after a watermark: who, with what, when (NaN: no time). */
export interface ChangedInteraction {
  readonly user: string;
  readonly item: string;
  readonly ts: number;
}

/** What `readInteractionChanges` found since a batch id. */
export interface InteractionChanges {
  /**
   * The watermark to ask from next time: the highest batch id whose rows are all in `rows` or
   * read before; never past a batch still being written, so that its rows are read once it is done.
   */
  readonly through: number;
  /** The rows of the finished batches after the watermark, up to `through` (items deleted since left out). */
  readonly rows: readonly ChangedInteraction[];
  /** Whether finished batches after `through` are left for the next call (the page was full). */
  readonly more: boolean;
}

type ChangedRow = { user: string; item: string; ts: number; batch: number | null };

/** The rows of batches `after` < id ≤ `through`, in batch order, at most `limit` of them. */
function changedRows(store: Store, after: number, through: number, limit?: number): Promise<ChangedRow[]> {
  const query = kyselyOf(store)
    .selectFrom('interactions as x')
    .innerJoin('users as u', 'u.id', 'x.user_id')
    .innerJoin('items as i', 'i.id', 'x.item_id')
    .select(['u.external_id as user', 'i.external_id as item', 'x.ts', 'x.batch_id as batch'])
    .where('x.batch_id', '>', after)
    .where('x.batch_id', '<=', through)
    .where('i.deleted_at', 'is', null)
    .orderBy('x.batch_id');
  return (limit === undefined ? query : query.limit(limit)).execute();
}

const changedOf = (r: ChangedRow): ChangedInteraction => ({ user: r.user, item: r.item, ts: r.ts === UNTIMED_TS ? NaN : r.ts });

/**
 * The interactions that arrived in finished batches after `afterBatchId` (every write, from the
 * API or `contrarec ingest`, is a batch): how a serving process follows what every writer adds
 * to its users' histories. Two primary-key lookups when nothing changed; otherwise a range of
 * `interactions_by_batch` of about `maxRows` rows, ended at a batch's end (`more` says whether
 * batches are left); a single batch larger than that is read whole, as its rows are needed.
 */
export async function readInteractionChanges(store: Store, afterBatchId: number, maxRows: number): Promise<InteractionChanges> {
  const { through } = await batchWatermarks(store, afterBatchId);
  if (through <= afterBatchId) return { through: afterBatchId, rows: [], more: false };
  const page = await changedRows(store, afterBatchId, through, maxRows + 1);
  if (page.length <= maxRows) return { through, rows: page.map(changedOf), more: false };
  const lastBatch = page[maxRows].batch ?? through;
  const whole = page.filter((r) => (r.batch ?? through) < lastBatch);
  if (whole.length > 0) return { through: lastBatch - 1, rows: whole.map(changedOf), more: true };
  const rows = await changedRows(store, lastBatch - 1, lastBatch);
  return { through: lastBatch, rows: rows.map(changedOf), more: lastBatch < through };
}

/** The watermark to start following changes from now (`through` of {@link InteractionChanges}). */
export async function readInteractionWatermark(store: Store): Promise<number> {
  return (await batchWatermarks(store, 0)).through;
}

/** The newest batch id, and the highest up to which every batch after `afterBatchId` is finished. */
async function batchWatermarks(store: Store, afterBatchId: number): Promise<{ newest: number; through: number }> {
  const db = kyselyOf(store);
  const last = await db
    .selectFrom('ingest_batches')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  const running = await db
    .selectFrom('ingest_batches')
    .select((eb) => eb.fn.min('id').as('id'))
    .where('id', '>', afterBatchId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  const newest = last?.id ?? 0;
  return { newest, through: running?.id == null ? newest : running.id - 1 };
}
