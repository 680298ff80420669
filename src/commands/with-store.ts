import { resolveDbPath } from '../common/paths.js';
import type { Store } from '../store/index.js';

/** Opens the store `--db` names (or the default), runs `fn` on it, and closes it whatever happens. */
export async function withStore<T>(db: string | undefined, fn: (store: Store) => Promise<T>): Promise<T> {
  const { openStore } = await import('../store/index.js');
  const store = await openStore(resolveDbPath(db));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
