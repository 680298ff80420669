import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from './database.js';
import type { FeatureValue } from './interaction-log.js';
import { featureKinds } from './catalogue-items.js';
import { coerceFeatures } from './read-interaction-log.js';
import { kyselyOf, type Store } from './store.js';

type UserRow = { features: string };

/** The query, compiled once per connection by its dialect: on a request's path, building it each time costs more than running it. */
const compiled = new WeakMap<Kysely<Database>, CompiledQuery<UserRow>>();

function queryOf(db: Kysely<Database>): CompiledQuery<UserRow> {
  let query = compiled.get(db);
  if (query === undefined) {
    query = db.selectFrom('users').select('features').where('external_id', '=', '').compile();
    compiled.set(db, query);
  }
  return query;
}

/**
 * A user's current features, or undefined when the store has no such user: one lookup of the
 * users table's unique external id, cheap enough for a request's path. (Their history is held
 * in memory by the serving process, not read here.)
 */
export async function readUserFeatures(store: Store, userId: string): Promise<Readonly<Record<string, FeatureValue>> | undefined> {
  const db = kyselyOf(store);
  // The compiled query has exactly one parameter: the user's external id.
  const [user] = (await db.executeQuery<UserRow>({ ...queryOf(db), parameters: [userId] })).rows;
  return user === undefined ? undefined : coerceFeatures(user.features, await featureKinds(store, 'user'));
}
