import { itemsInTime, type TimedItemRef } from '../data/items-in-time.js';
import type { UserQuery } from '../model/artifact/load-artifact.js';
import type { FeatureValue } from '../store/index.js';
import { EmbedBatcher } from './embed-batcher.js';

/** A user as a live answer needs them: their vector now, and the items they have interacted with. */
export interface LiveUser {
  readonly vector: Float32Array;
  readonly seen: ReadonlySet<string>;
}

/** What a user's vector is computed from now: their features and every interaction with an item not deleted. */
export interface UserLiveHistory {
  readonly features: Readonly<Record<string, FeatureValue>>;
  /** In no particular order (`itemsInTime` orders them). */
  readonly interactions: readonly TimedItemRef[];
}

/** Reads a user's current features and history; undefined for a user the store does not hold. */
export type UserHistoryReader = (userId: string) => Promise<UserLiveHistory | undefined>;

/** How many users one version keeps cached before it forgets the one computed longest ago. */
export const DEFAULT_LIVE_USER_CACHE = 100_000;

/**
 * One model version's live user vectors: computed by that version's user tower from the user's
 * features and CURRENT history (as the store holds it, read by `read`; the tower caps it at `historyMaxLength`,
 * as in training), cached until `invalidate` names the user. Belongs to one version, so an
 * answer never mixes the vector of one version with the index of another. A computation that an
 * invalidation overtakes still answers its request but is not cached, so a stale vector never
 * outlives the change that made it stale.
 */
export class LiveUsers {
  private readonly cache = new Map<string, LiveUser>();
  private readonly pending = new Map<string, Promise<LiveUser | undefined>>();
  /** Bumped by every invalidation: a computation that saw another value started before it. */
  private generation = 0;
  private readonly tower: EmbedBatcher<UserQuery>;

  /** `embedUsers`: the version's user tower, many users at a time (the misses of one event-loop turn share a pass). */
  constructor(
    private readonly read: UserHistoryReader,
    embedUsers: (queries: readonly UserQuery[]) => Float32Array,
    private readonly capacity = DEFAULT_LIVE_USER_CACHE,
  ) {
    this.tower = new EmbedBatcher(embedUsers);
  }

  /** Number of cached users. */
  get size(): number {
    return this.cache.size;
  }

  /** Whether `userId`'s vector is cached (the next `get` reads nothing). */
  has(userId: string): boolean {
    return this.cache.has(userId);
  }

  /** The user's live vector and seen items, or undefined when the store does not hold the user. */
  get(userId: string): LiveUser | Promise<LiveUser | undefined> {
    const hit = this.cache.get(userId);
    if (hit !== undefined) return hit;
    let computing = this.pending.get(userId);
    if (computing === undefined) {
      computing = this.compute(userId).finally(() => this.pending.delete(userId));
      this.pending.set(userId, computing);
    }
    return computing;
  }

  /** Forgets these users' vectors (their history changed). */
  invalidate(userIds: Iterable<string>): void {
    this.generation++;
    for (const id of userIds) this.cache.delete(id);
    this.pending.clear();
  }

  /** Forgets every user (too many changed to name them). */
  clear(): void {
    this.generation++;
    this.cache.clear();
    this.pending.clear();
  }

  private async compute(userId: string): Promise<LiveUser | undefined> {
    const started = this.generation;
    const history = await this.read(userId);
    if (history === undefined) return undefined;
    const recentItems = itemsInTime(history.interactions);
    const user: LiveUser = { vector: await this.tower.embed({ userId, features: history.features, recentItems }), seen: new Set(recentItems) };
    if (started === this.generation && this.capacity > 0) {
      if (this.cache.size >= this.capacity) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(userId, user);
    }
    return user;
  }
}
