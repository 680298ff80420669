import { NO_ITEMS_READ, readInteractionChanges, readItemChanges, readUserFeatures, type ItemWatermark, type Store } from '../store/index.js';
import { LiveHistories } from './live-histories.js';
import { LiveItems } from './live-items.js';
import { LiveUsers, DEFAULT_LIVE_USER_CACHE, type UserHistoryReader } from './live-users.js';
import type { Logger } from './logger.js';
import type { ModelSnapshot } from './model-snapshot.js';
import type { StoreOutage } from './store-outage.js';

/** Options of {@link LiveServing}. */
export interface LiveServingOptions {
  /** The longest an answer may lag a write made by another process (ingest, another worker), ms (default 200). */
  readonly checkIntervalMs?: number;
  /** Past this many changed users in one check, a version drops its whole cache instead (default 10,000). */
  readonly maxChangedUsers?: number;
  /** About how many new interactions one read of the change check takes; a check reads as many as it needs (default 50,000). */
  readonly changePageRows?: number;
  /** Users one version keeps cached (default `DEFAULT_LIVE_USER_CACHE`). */
  readonly cacheSize?: number;
  readonly log?: Logger;
  /**
   * Where a check that cannot reach the database is reported (once per outage, not per check);
   * while it says the database is unreachable, requests answer from memory without waiting for
   * the check, which then runs in the background.
   */
  readonly outage?: StoreOutage;
}

/** Stored items one read takes while a version is prepared (see `catchUpItems`). */
const PREPARE_PAGE_ITEMS = 5000;

/** What one version answers live with: its user cache and its items added since training. */
export interface LiveVersion {
  readonly users: LiveUsers;
  readonly items: LiveItems;
}

/** A version's live parts and how far it has read the store's changes. */
interface LiveState extends LiveVersion {
  readonly histories: LiveHistories;
  interactionsThrough: number;
  itemsThrough: ItemWatermark;
  checkedAt: number;
  checking: Promise<void> | undefined;
}

/** A user's features from the store, their history from the version's memory (deleted items left out). */
function liveHistoryReader(store: Store, histories: LiveHistories, items: LiveItems): UserHistoryReader {
  return async (userId) => {
    const features = await readUserFeatures(store, userId);
    return features && { features, interactions: histories.historyOf(userId, (item) => items.isDeleted(item)) };
  };
}

/**
 * Live answers from the store, the one source of truth across processes: each model version gets
 * its own cache of live user vectors (`LiveUsers`), its own users' histories (`LiveHistories`:
 * those it loaded, and the interactions written since) and its own items added since training
 * (`LiveItems`), so no answer mixes two versions. A change check, at most every `checkIntervalMs`
 * and at once after this process's own writes, reads the interactions written since the last
 * check (`readInteractionChanges`: every writer's rows carry a batch id), appends them to the
 * histories and forgets those users' vectors, and reads which items were stored or deleted
 * (`readItemChanges`) and adds them to the version's index or marks them deleted there. A request
 * waits for a due check, so an answer never lags a write by more than the interval; between
 * checks it reads nothing but, on a cache miss, the user's features. A new version is given every
 * item the store holds and it does not know before it is published (`prepare`), so a hot swap
 * loses none of the live additions.
 */
export class LiveServing {
  private readonly states = new WeakMap<ModelSnapshot, LiveState>();
  private readonly checkIntervalMs: number;
  private readonly maxChangedUsers: number;
  private readonly changePageRows: number;

  constructor(
    private readonly store: Store,
    private readonly opts: LiveServingOptions = {},
  ) {
    this.checkIntervalMs = opts.checkIntervalMs ?? 200;
    this.maxChangedUsers = opts.maxChangedUsers ?? 10_000;
    this.changePageRows = opts.changePageRows ?? 50_000;
  }

  /**
   * Sets a version up to answer live, before it is published (the registry's loader calls it).
   * A version loaded without the store's histories (`history`) answers as trained.
   */
  async prepare(snapshot: ModelSnapshot): Promise<ModelSnapshot> {
    const { embedUsers, embedItems, history } = snapshot;
    if (embedUsers === undefined || embedItems === undefined || history === undefined || this.states.has(snapshot)) return snapshot;
    const histories = new LiveHistories(history, {
      userRow: (id) => snapshot.users.row(id),
      itemRow: (id) => snapshot.items.row(id),
      itemId: (row) => snapshot.items.idAt(row),
    });
    const items = new LiveItems(snapshot, embedItems);
    const users = new LiveUsers(liveHistoryReader(this.store, histories, items), embedUsers, this.opts.cacheSize ?? DEFAULT_LIVE_USER_CACHE);
    const { added, through: itemsThrough } = await this.catchUpItems(snapshot, items);
    if (added > 0) this.opts.log?.({ level: 'info', msg: 'added the items stored since training', version: snapshot.version, items: added });
    // -Infinity: the first request checks at once, for what changed between this read and the swap.
    const interactionsThrough = history.through;
    this.states.set(snapshot, { users, items, histories, interactionsThrough, itemsThrough, checkedAt: -Infinity, checking: undefined });
    return snapshot;
  }

  /**
   * Gives a version being prepared every stored item it does not know and marks the deleted ones,
   * reading the catalogue a page at a time and yielding between pages: this runs on the serving
   * thread while the previous version still answers, and the whole catalogue in one read would
   * hold it for as long as that takes (`npm run bench:swap` measures the swaps).
   */
  private async catchUpItems(snapshot: ModelSnapshot, items: LiveItems): Promise<{ added: number; through: ItemWatermark }> {
    const known = (id: string): boolean => snapshot.items.row(id) !== undefined;
    let through = NO_ITEMS_READ;
    let added = 0;
    for (let more = true; more;) {
      const page = await readItemChanges(this.store, through, { limit: PREPARE_PAGE_ITEMS, known });
      added += items.add(page.added);
      items.remove(page.deleted);
      through = page.through;
      more = page.more;
      if (more) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return { added, through };
  }

  /**
   * The version's live parts once every change older than the check interval is applied, or
   * undefined when the version cannot answer live (no towers, or not prepared).
   */
  async fresh(snapshot: ModelSnapshot): Promise<LiveVersion | undefined> {
    const state = this.states.get(snapshot);
    if (state === undefined) return undefined;
    if (performance.now() - state.checkedAt >= this.checkIntervalMs) {
      // During an outage a check could wait for the connect timeout: answer with what is in memory.
      const checked = this.check(state);
      if (this.opts.outage?.unreachable !== true) await checked;
    }
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
      await this.followInteractions(state);
      const items = await readItemChanges(this.store, state.itemsThrough);
      state.items.add(items.added);
      state.items.remove(items.deleted);
      state.itemsThrough = items.through;
      this.opts.outage?.reached();
    } catch (err) {
      // The watermark stays, so the next check reads these changes again.
      if (this.opts.outage?.failed(err, 'live change check')) return;
      this.opts.log?.({ level: 'error', msg: 'live change check failed; answers may lag the store', error: err instanceof Error ? err.message : String(err) });
    } finally {
      state.checkedAt = started;
    }
  }

  /**
   * Appends every interaction written since the watermark to the version's histories and forgets
   * those users' vectors, a page at a time (a large ingest is read in several reads, each applied
   * whole with its watermark, so a failure loses nothing); past `maxChangedUsers` users in one
   * check the whole cache is dropped instead of naming them.
   */
  private async followInteractions(state: LiveState): Promise<void> {
    let changedUsers = 0;
    let more = true;
    while (more) {
      const changes = await readInteractionChanges(this.store, state.interactionsThrough, this.changePageRows);
      state.histories.append(changes.rows);
      state.interactionsThrough = changes.through;
      const users = new Set(changes.rows.map((r) => r.user));
      changedUsers += users.size;
      if (changedUsers > this.maxChangedUsers) state.users.clear();
      else if (users.size > 0) state.users.invalidate(users);
      more = changes.more;
    }
  }
}
