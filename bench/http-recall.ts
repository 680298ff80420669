/**
 * Recall@K measured from outside, through `GET /v1/users/:id/recommendations` (HNSW, the
 * server's `exclude_seen`), as a client sees it: the protocol of ../shared/benchmarks/README.md
 * over HTTP, with a few clients at a time.
 */

/** Per user, the items of the held-out split (the relevant ones). */
export type Truth = ReadonlyMap<string, ReadonlySet<string>>;

/** How `httpRecallAtK` asks and filters. */
export interface HttpRecallOptions {
  /** Items the client leaves out of a user's list before cutting it at K (asked for K + their number). */
  readonly clientExcludes?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Rank only these items: ask for `MAX_K` and keep the first K of them (the cold-item measure). */
  readonly restrictTo?: ReadonlySet<string>;
  /** Clients at a time (default 8). */
  readonly concurrency?: number;
}

/** The largest k the API answers (`MAX_K`). */
const MAX_K = 1000;

async function topIds(url: string, user: string, k: number): Promise<string[]> {
  const ask = (): Promise<Response> => fetch(`${url}/v1/users/${encodeURIComponent(user)}/recommendations?k=${k}`);
  // One retry: a kept-alive connection the server closed while the client was idle fails once.
  const res = await ask().catch(ask);
  if (res.status !== 200) throw new Error(`GET recommendations of ${user}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { items: { id: string }[] }).items.map((h) => h.id);
}

/**
 * Mean over the users of `truth` (those with a relevant item among `restrictTo`, when given) of
 * |top-K ∩ relevant| / |relevant|, and how many users that was.
 */
export async function httpRecallAtK(url: string, truth: Truth, k: number, opts: HttpRecallOptions = {}): Promise<{ recall: number; users: number }> {
  const restrict = opts.restrictTo;
  const users = [...truth].flatMap(([user, items]) => {
    const relevant = restrict ? [...items].filter((i) => restrict.has(i)) : [...items];
    return relevant.length > 0 ? [{ user, relevant: new Set(relevant) }] : [];
  });
  let sum = 0;
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < users.length) {
      const { user, relevant } = users[next++];
      const excluded = opts.clientExcludes?.get(user) ?? new Set<string>();
      const asked = restrict ? MAX_K : Math.min(MAX_K, k + excluded.size);
      const top = (await topIds(url, user, asked)).filter((id) => !excluded.has(id) && (restrict === undefined || restrict.has(id))).slice(0, k);
      sum += top.filter((id) => relevant.has(id)).length / relevant.size;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, client));
  return { recall: sum / users.length, users: users.length };
}

/** Per user, the items of some rows (`[user, item]` pairs). */
export function itemsByUser(pairs: readonly (readonly [string, string])[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [u, i] of pairs) out.set(u, (out.get(u) ?? new Set()).add(i));
  return out;
}
