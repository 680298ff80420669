import type { LiveServing } from './live-serving.js';
import type { Logger } from './logger.js';
import type { ModelRegistry } from './model-registry.js';
import type { ConsoleOptions } from './routes/console-data.js';
import type { InteractionIngester } from './routes/interactions.js';
import type { ItemDeleter, ItemWriter } from './routes/item-writes.js';
import type { ModelLister } from './routes/models.js';

/** What the app needs; everything but `models` is optional (a feature is off without it). */
export interface AppDeps {
  /** Holder of the served model version. */
  readonly models: ModelRegistry;
  /** Lists the registry for `GET /v1/models`; without it only the served version is listed. */
  readonly listModels?: ModelLister;
  /** Live answers from the store (user vectors from current histories); without it, answers are as trained. */
  readonly live?: LiveServing;
  /** Stores `POST /v1/interactions` rows; without it the endpoint answers 403. */
  readonly ingestInteractions?: InteractionIngester;
  /** Stores `POST /v1/items` items; without it the endpoint answers 403. */
  readonly writeItems?: ItemWriter;
  /** Deletes for `DELETE /v1/items/:id`; without it the endpoint answers 403. */
  readonly deleteItem?: ItemDeleter;
  /** Bearer token of write endpoints (from CONTRAREC_ADMIN_TOKEN); unset → writes disabled. */
  readonly adminToken?: string;
  /** Largest accepted JSON body in bytes; larger → 413 (default 1 MiB). */
  readonly bodyLimitBytes?: number;
  /** The web console's data (store reads), reports folder and read token; the page at `/` is always served. */
  readonly console?: ConsoleOptions;
  readonly log?: Logger;
}
