import { z } from 'zod';
import { isDatabaseUnreachable } from '../../store/index.js';
import { topKAnswer } from '../answer-schemas.js';
import { HttpError } from '../http-error.js';
import type { LiveServing } from '../live-serving.js';
import type { LiveUser } from '../live-users.js';
import type { ModelRegistry } from '../model-registry.js';
import type { ModelSnapshot, SeenSet } from '../model-snapshot.js';
import { boolQueryParam, kParam } from '../query-params.js';
import { requireModel } from '../require-model.js';
import { defineRoute, type Route } from '../route.js';
import { toAnswer, type TopKAnswer } from '../to-answer.js';

/** A user's vector and seen items as one version answers them, or where they were looked for in vain. */
type UserLookup = { readonly vector: Float32Array; readonly seen: SeenSet | undefined } | { readonly vector: undefined; readonly where: string };

/** The user's vector and seen items: live from the store when the version answers live, else as trained. */
async function userOf(model: ModelSnapshot, live: LiveServing | undefined, id: string): Promise<UserLookup> {
  const users = live && (await live.fresh(model))?.users;
  let current: LiveUser | undefined;
  let unreachable: unknown;
  try {
    current = users && (await users.get(id));
  } catch (err) {
    if (!isDatabaseUnreachable(err)) throw err;
    unreachable = err;
  }
  if (current !== undefined) return { vector: current.vector, seen: current.seen };
  // While the database is unreachable a user the model knows is answered as trained; one only the store knows is a 503.
  const vector = model.users.vectorOf(id);
  if (vector !== undefined) return { vector, seen: model.seen.get(id) };
  if (unreachable !== undefined) throw unreachable;
  return { vector: undefined, where: `not in model ${model.version}${users ? ' nor in the store' : ''}` };
}

/**
 * `GET /v1/users/:id/recommendations?k=10&exclude_seen=true`: the k items nearest to the user's
 * embedding, the items they already interacted with left out unless `exclude_seen=false`. Live
 * (the default with a store): the embedding is the user tower's, of the user's features and
 * current history in the store (posted and ingested since training included), cached per user
 * until their history changes (`LiveServing`), and the seen items are that same history; a user
 * the model never saw but the store holds is answered too. Precomputed (`serve
 * --no-live-history`, or no store): the embedding and seen items of training time. The index is
 * asked for k + |seen| so that k items remain after filtering. A user neither the model nor the
 * store knows → 404 pointing at `POST /v1/recommendations`. On the fast path, like similar items.
 */
export function userRecommendationsRoute(models: ModelRegistry, live?: LiveServing): Route {
  return defineRoute({
    method: 'GET',
    path: '/v1/users/:id/recommendations',
    summary: "Top-k items for a user the model or the store knows, the user's seen items left out",
    fast: true,
    query: z.object({ k: kParam, exclude_seen: boolQueryParam(true) }),
    response: topKAnswer,
    errors: [404, 503],
    answer: async ({ params: { id }, query: { k, exclude_seen: excludeSeen } }): Promise<TopKAnswer> => {
      const model = requireModel(models);
      const user = await userOf(model, live, id);
      if (user.vector === undefined) {
        throw new HttpError(
          404,
          'unknown_user',
          `unknown user "${id}" (${user.where}); for a new user, POST /v1/recommendations with their features or recent items`,
        );
      }
      const seen = excludeSeen ? user.seen : undefined;
      const hits = model.index.search(user.vector, k + (seen?.size ?? 0));
      return toAnswer(model.version, hits, k, (item) => seen?.has(item) ?? false);
    },
  });
}
