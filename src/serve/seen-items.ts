/** One user's seen items, as a request asks them: how many, and whether an item is one. */
export interface SeenSet {
  readonly size: number;
  has(itemId: string): boolean;
}

/** For each known user, the items they already interacted with (excluded from their recommendations); a `Map` of `Set`s is one. */
export interface SeenItems {
  get(userId: string): SeenSet | undefined;
}
