import { readInteractionLog, type Store } from '../store/index.js';

/**
 * Every user's interacted items from the store, by external ids: what `exclude_seen` leaves out.
 * Read when a model version loads, so the set matches the moment that version went live;
 * interactions posted later are excluded after the next load.
 */
export function seenItemsFromStore(store: Store): ReadonlyMap<string, ReadonlySet<string>> {
  const log = readInteractionLog(store);
  const seen = new Map<string, Set<string>>();
  const { user, item } = log.interactions;
  for (let i = 0; i < user.length; i++) {
    const u = log.users[user[i]].externalId;
    let set = seen.get(u);
    if (set === undefined) seen.set(u, (set = new Set()));
    set.add(log.items[item[i]].externalId);
  }
  return seen;
}
