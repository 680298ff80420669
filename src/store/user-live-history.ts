import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from './database.js';
import type { FeatureValue } from './interaction-log.js';
import { featureKinds } from './catalogue-items.js';
import { coerceFeatures } from './read-interaction-log.js';
import { sqliteOf, type Store } from './store.js';
import { UNTIMED_TS } from './untimed.js';

/** One interaction of a user as the user tower reads it: the item and when (NaN: no time). */
export interface TimedItem {
  readonly item: string;
  readonly ts: number;
}

/** What a user's vector is computed from now: their features and every interaction the store holds. */
export interface UserLiveHistory {
  readonly features: Readonly<Record<string, FeatureValue>>;
  /** Every interaction with an item not deleted, in no particular order (`itemsInTime` orders them). */
  readonly interactions: readonly TimedItem[];
}

/** The two queries, compiled once per connection by its dialect: on a request's path, building them each time costs more than running them. */
interface LiveHistoryQueries {
  readonly user: CompiledQuery<UserRow>;
  readonly history: CompiledQuery<HistoryRow>;
}
type UserRow = { id: number; features: string };
type HistoryRow = { item: string; ts: number };

const compiled = new WeakMap<Kysely<Database>, LiveHistoryQueries>();

function queriesOf(db: Kysely<Database>): LiveHistoryQueries {
  let queries = compiled.get(db);
  if (queries === undefined) {
    queries = {
      user: db.selectFrom('users').select(['id', 'features']).where('external_id', '=', '').compile(),
      history: db
        .selectFrom('interactions as x')
        .innerJoin('items as i', 'i.id', 'x.item_id')
        .select(['i.external_id as item', 'x.ts'])
        .where('x.user_id', '=', 0)
        .where('i.deleted_at', 'is', null)
        .compile(),
    };
    compiled.set(db, queries);
  }
  return queries;
}

/**
 * A user's features and current interactions (those with deleted items left out, as
 * `readInteractionLog` leaves them out of training), or undefined when the store has no such
 * user. One indexed lookup and one index range (`interactions_by_user`): cheap enough for a
 * request's path.
 */
export async function readUserLiveHistory(store: Store, userId: string): Promise<UserLiveHistory | undefined> {
  const { db } = sqliteOf(store);
  const queries = queriesOf(db);
  // Each compiled query has exactly one parameter: the user's external id, then their row id.
  const [user] = (await db.executeQuery<UserRow>({ ...queries.user, parameters: [userId] })).rows;
  if (user === undefined) return undefined;
  const { rows } = await db.executeQuery<HistoryRow>({ ...queries.history, parameters: [user.id] });
  return {
    features: coerceFeatures(user.features, featureKinds(store, 'user')),
    interactions: rows.map((r) => ({ item: r.item, ts: r.ts === UNTIMED_TS ? NaN : r.ts })),
  };
}
