import { writeItemBatch, type FeatureValue, type Store, type WriteItemsResult } from '../store/index.js';
import { FeatureColumns } from './entity-features.js';
import { checkId } from './record-rules.js';

/** An item as an API write gives it: its external id and its features as JSON values. */
export interface ItemInput {
  readonly id: string;
  readonly features: Readonly<Record<string, unknown>>;
}

/** Why one item of a write is refused: its position and the reason. */
export interface RefusedItem {
  readonly index: number;
  readonly reason: string;
}

/**
 * Validates and stores items given as JSON (the body of `POST /v1/items`) with the rules of a JSON
 * Lines items file (`contrarec ingest items`): the id's rules, features as arrays (multi), numbers
 * (numeric) or strings (categorical), reserved names refused. All or nothing: the first refused
 * item is returned and nothing is written, so a client fixes its request and sends it again.
 *
 * @example
 *   await ingestItemRows(store, [{ id: 'i9', features: { genre: ['Drama'], year: 1999 } }], { source: 'api' })
 */
export async function ingestItemRows(store: Store, items: readonly ItemInput[], opts: { readonly source: string }): Promise<WriteItemsResult | RefusedItem> {
  const columns = new FeatureColumns([], -1, ' ', '|');
  const rows: { id: string; features: Record<string, FeatureValue> }[] = [];
  for (const [index, item] of items.entries()) {
    const id = item.id.trim();
    const badId = id === '' ? 'missing item id' : checkId(id, 'item id');
    if (badId !== undefined) return { index, reason: badId };
    const features = columns.parseJson(item.features, '');
    if (typeof features === 'string') return { index, reason: features };
    rows.push({ id, features });
  }
  return writeItemBatch(store, opts.source, rows, columns.kinds);
}
