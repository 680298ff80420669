import type { FeatureValue } from '../store/index.js';
import type { ModelSnapshot } from './model-snapshot.js';

/** An item to add as the store holds it: its external id and features. */
export interface StoredItem {
  readonly id: string;
  readonly features: Readonly<Record<string, FeatureValue>>;
}

/**
 * One model version's items added since it was trained: each embedded by that version's item
 * tower from its features (its id, unknown to the model, takes the out-of-vocabulary row) and
 * added to that version's HNSW index, which grows as needed; and items deleted since, marked
 * deleted in the index so that no answer holds them. An item with no features is not added: all
 * such items would share one vector, and nothing would tell them apart until the next retrain.
 */
export class LiveItems {
  /** The items added here; their vectors are in the version's index, with the model's own. */
  private readonly added = new Set<string>();
  /** Every item deleted in the store, as `remove` was told: live histories leave them out. */
  private readonly deleted = new Set<string>();

  constructor(
    private readonly model: ModelSnapshot,
    private readonly embedItems: NonNullable<ModelSnapshot['embedItems']>,
  ) {}

  /** Number of items added since training (deleted ones included). */
  get size(): number {
    return this.added.size;
  }

  /** Embeds and indexes the items this version does not know yet; returns how many it added. */
  add(items: readonly StoredItem[]): number {
    const fresh = items.filter((it) => !this.added.has(it.id) && this.model.items.row(it.id) === undefined && Object.keys(it.features).length > 0);
    if (fresh.length === 0) return 0;
    const vectors = this.embedItems(fresh.map((it) => ({ itemId: it.id, features: it.features })));
    this.model.index.add(
      fresh.map((it) => it.id),
      vectors,
    );
    for (const it of fresh) this.added.add(it.id);
    return fresh.length;
  }

  /** Takes these items out of every later answer (ids the index does not hold are ignored). */
  remove(ids: readonly string[]): void {
    for (const id of ids) {
      this.deleted.add(id);
      if (this.model.index.has(id)) this.model.index.markDeleted(id);
    }
  }

  /** Whether the store has deleted `id` (as far as `remove` was told). */
  isDeleted(id: string): boolean {
    return this.deleted.has(id);
  }

  /** An item's vector: the model's, or the one it was given when added here; undefined for neither, or once deleted. */
  vectorOf(id: string): Float32Array | undefined {
    return this.model.index.vectorOf(id);
  }
}
