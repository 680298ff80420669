import {
  NO_ITEMS_READ,
  readInteractionChanges,
  readInteractionWatermark,
  readItemChanges,
  readUserLiveHistory,
  type ItemWatermark,
  type Store,
} from '../store/index.js';
import { LiveItems } from './live-items.js';
import { LiveUsers, DEFAULT_LIVE_USER_CACHE } from './live-users.js';
import type { Logger } from './logger.js';
import type { ModelSnapshot } from './model-snapshot.js';

/** Options of {@link LiveServing}. */
export interface LiveServingOptions {
  /** The longest an answer may lag a write made by another process (ingest, another worker), ms (default 200). */
  readonly checkIntervalMs?: number;
  /** Past this many changed users in one check, a version drops its whole cache instead (default 10,000). */
  readonly maxChangedUsers?: number;
  /** Users one version keeps cached (default `DEFAULT_LIVE_USER_CACHE`). */
  readonly cacheSize?: number;
  readonly log?: Logger;
}

/** What one version answers live with: its user cache and its items added since training. */
export interface LiveVersion {
  readonly users: LiveUsers;
  readonly items: LiveItems;
}

/** A version's live parts and how far it has read the store's changes. */
interface LiveState extends LiveVersion {
  interactionsThrough: number;
  itemsThrough: ItemWatermark;
  checkedAt: number;
  checking: Promise<void> | undefined;
}

/**
 * Live answers from the store, the one source of truth across processes: each model version gets
 * its own cache of live user vectors (`LiveUsers`) and its own items added since training
 * (`LiveItems`), so no answer mixes two versions. A change check, at most every `checkIntervalMs`
 * and at once after this process's own writes, reads which users' histories changed since the
 * last check (`readInteractionChanges`: every writer's rows carry a batch id) and forgets them,
 * and which items were stored or deleted (`readItemChanges`) and adds them to the version's index
 * or marks them deleted there. A request waits for a due check, so an answer never lags a write
 * by more than the interval; between checks it reads nothing but, on a cache miss, the user's own
 * rows. A new version is given every item the store holds and it does not know before it is
 * published (`prepare`), so a hot swap loses none of the live additions.
 */
export class LiveServing {
  private readonly states = new WeakMap<ModelSnapshot, LiveState>();
  private readonly checkIntervalMs: number;
  private readonly maxChangedUsers: number;

  constructor(
    private readonly store: Store,
    private readonly opts: LiveServingOptions = {},
  ) {
    this.checkIntervalMs = opts.checkIntervalMs ?? 200;
    this.maxChangedUsers = opts.maxChangedUsers ?? 10_000;
  }

  /** Sets a version up to answer live, before it is published (the registry's loader calls it). */
  async prepare(snapshot: ModelSnapshot): Promise<ModelSnapshot> {
    const { embedUsers, embedItems } = snapshot;
    if (embedUsers === undefined || embedItems === undefined || this.states.has(snapshot)) return snapshot;
    const interactionsThrough = await readInteractionWatermark(this.store);
    const users = new LiveUsers((id) => readUserLiveHistory(this.store, id), embedUsers, this.opts.cacheSize ?? DEFAULT_LIVE_USER_CACHE);
    const items = new LiveItems(snapshot, embedItems);
    const changes = await readItemChanges(this.store, NO_ITEMS_READ);
    const added = items.add(changes.added);
    items.remove(changes.deleted);
    if (added > 0) this.opts.log?.({ level: 'info', msg: 'added the items stored since training', version: snapshot.version, items: added });
    // -Infinity: the first request checks at once, for what changed between this read and the swap.
    this.states.set(snapshot, { users, items, interactionsThrough, itemsThrough: changes.through, checkedAt: -Infinity, checking: undefined });
    return snapshot;
  }

  /**
   * The version's live parts once every change older than the check interval is applied, or
   * undefined when the version cannot answer live (no towers, or not prepared).
   */
  async fresh(snapshot: ModelSnapshot): Promise<LiveVersion | undefined> {
    const state = this.states.get(snapshot);
    if (state === undefined) return undefined;
    if (performance.now() - state.checkedAt >= this.checkIntervalMs) await this.check(state);
    return state;
  }

  /** Applies the store's changes to this version now (after this process wrote). */
  async refresh(snapshot: ModelSnapshot | undefined): Promise<void> {
    const state = snapshot && this.states.get(snapshot);
    if (state !== undefined) await this.check(state, true);
  }

  private check(state: LiveState, again = false): Promise<void> {
    // A write's own refresh must read after the write, so it waits for a check already under way and runs another.
    const previous = state.checking;
    if (previous !== undefined && !again) return previous;
    const run: Promise<void> = (previous ?? Promise.resolve()).then(() => this.checkOnce(state));
    const tracked = run.finally(() => {
      if (state.checking === tracked) state.checking = undefined;
    });
    state.checking = tracked;
    return tracked;
  }

  private async checkOnce(state: LiveState): Promise<void> {
    const started = performance.now();
    try {
      const changes = await readInteractionChanges(this.store, state.interactionsThrough, this.maxChangedUsers);
      if (changes.users === 'too-many') state.users.clear();
      else if (changes.users.length > 0) state.users.invalidate(changes.users);
      state.interactionsThrough = changes.through;
      const items = await readItemChanges(this.store, state.itemsThrough);
      state.items.add(items.added);
      state.items.remove(items.deleted);
      state.itemsThrough = items.through;
    } catch (err) {
      // The watermark stays, so the next check reads these changes again.
      this.opts.log?.({ level: 'error', msg: 'live change check failed; answers may lag the store', error: err instanceof Error ? err.message : String(err) });
    } finally {
      state.checkedAt = started;
    }
  }
}
