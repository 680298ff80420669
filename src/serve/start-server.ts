import { createServer, type Server } from 'node:http';
import { isoOrNull } from '../common/iso-time.js';
import type { AddressInfo } from 'node:net';
import { readArtifactManifest } from '../index/index.js';
import { ensureLocalArtifact } from '../model/artifact/ensure-local-artifact.js';
import { getActiveModel, listModels, markItemDeleted, openStore, type Store } from '../store/index.js';
import { ingestInteractionRows } from '../ingest/ingest-rows.js';
import { ingestItemRows } from '../ingest/ingest-item-rows.js';
import { answerClientErrors } from './client-errors.js';
import { createApp } from './create-app.js';
import { LiveServing } from './live-serving.js';
import { jsonLinesLogger, type Logger } from './logger.js';
import { followActivations } from './follow-activations.js';
import { ModelRegistry, type ActiveModelResolver, type SnapshotLoader } from './model-registry.js';
import type { InteractionIngester } from './routes/interactions.js';
import type { ItemDeleter, ItemWriter } from './routes/item-writes.js';
import { loadModelSnapshot } from './model-snapshot.js';
import { StoreOutage } from './store-outage.js';
import type { ModelListEntry } from './routes/models.js';
import { consoleDataFromStore } from './routes/console-data.js';

/** Options of `startServer` (the `contrarec serve` flags). */
export interface ServerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** The database: its active model is served and followed, `exclude_seen` reads its interactions, writes go into it. */
  readonly dbPath?: string;
  /** Serve this artifact folder instead of the registry's active model (no hot swap). */
  readonly artifactDir?: string;
  /** How often to check the registry for a newly active model, in ms (default 2000); on PostgreSQL a promotion is also announced at once. */
  readonly watchIntervalMs?: number;
  /** How long a replaced model version stays usable for requests already under way before it is freed, in ms (default `RELEASE_GRACE_MS`). */
  readonly releaseGraceMs?: number;
  /**
   * Answer from the store as it is now (default true; needs `dbPath`): user vectors from current
   * histories, refreshed on every write. False (`serve --no-live-history`): as trained.
   */
  readonly liveHistory?: boolean;
  /** The longest a live answer may lag another process's write, ms (default 200). */
  readonly liveCheckIntervalMs?: number;
  /** Users whose live vectors one version keeps cached (default `DEFAULT_LIVE_USER_CACHE`; 0: none, every request computes). */
  readonly liveCacheUsers?: number;
  /** Bearer token of write endpoints; unset → writes disabled. */
  readonly adminToken?: string;
  readonly bodyLimitBytes?: number;
  /** Experiment outputs to show in the console (served under /reports/). */
  readonly reportsDir?: string;
  /** Bearer token of the console API (`/console/api/`); unset → that API is open. */
  readonly readToken?: string;
  readonly log?: Logger;
}

/** A listening server and how to stop it. */
export interface RunningServer {
  /** `http://host:port`, with the real port when 0 was asked. */
  readonly url: string;
  readonly models: ModelRegistry;
  /** Live answering, when on. */
  readonly live: LiveServing | undefined;
  readonly server: Server;
  /** Stops watching, closes connections and the store. */
  close(): Promise<void>;
}

const iso = isoOrNull;

/** Where the version to serve comes from: a fixed artifact folder, or the store's active model. */
function activeModelResolver(opts: ServerOptions, store: Store | undefined): ActiveModelResolver {
  if (opts.artifactDir !== undefined) {
    const dir = opts.artifactDir;
    return async () => ({ version: (await readArtifactManifest(dir)).version, artifactDir: dir });
  }
  if (store === undefined) throw new Error('startServer needs dbPath or artifactDir');
  return activeModelOfStore(store);
}

/**
 * The store's active model version and its local artifact folder (what `serve --db` follows),
 * downloaded from a PostgreSQL store first when this machine does not hold it yet.
 */
export function activeModelOfStore(store: Store): ActiveModelResolver {
  return async () => {
    const m = await getActiveModel(store);
    return m && { version: m.version, artifactDir: await ensureLocalArtifact(store, m) };
  };
}

/** Loads a version with its store's seen and deleted items and, when live, sets it up to answer live before it is published. */
function snapshotLoader(store: Store | undefined, dbPath: string | undefined, live: LiveServing | undefined, log: Logger): SnapshotLoader {
  return async (ref) => {
    // The worker reads the store through its own connection, so seen and deleted items come from the same moment as the files.
    // It opens the location as given: store.path shows a PostgreSQL URL without its password.
    const snapshot = await loadModelSnapshot(ref, { dbPath: store === undefined ? undefined : dbPath, log });
    return live ? live.prepare(snapshot).catch((err: unknown) => (snapshot.dispose(), Promise.reject(err))) : snapshot;
  };
}

/** `POST /v1/interactions`' writer: stores the rows, then applies them to the served version before answering. */
function apiIngester(store: Store, live: LiveServing | undefined, models: ModelRegistry): InteractionIngester {
  return async (rows, claim) => {
    const outcome = await ingestInteractionRows(store, rows, { source: 'api', idempotency: claim });
    // The writer's next answer reflects its write, whatever the check interval.
    if (outcome.idempotency !== 'replayed' && outcome.idempotency !== 'conflict') await live?.refresh(models.current());
    return outcome;
  };
}

/** `POST /v1/items`' writer: stores the items, then adds the new ones to the served version before answering. */
function apiItemWriter(store: Store, live: LiveServing | undefined, models: ModelRegistry): ItemWriter {
  return async (items) => {
    const outcome = await ingestItemRows(store, items, { source: 'api' });
    if (!('reason' in outcome)) await live?.refresh(models.current());
    return outcome;
  };
}

/** `DELETE /v1/items/:id`'s deleter: marks the item deleted, then takes it out of the served version before answering. */
function apiItemDeleter(store: Store, live: LiveServing | undefined, models: ModelRegistry): ItemDeleter {
  return async (id) => {
    const deleted = await markItemDeleted(store, id);
    if (deleted) await live?.refresh(models.current());
    return deleted;
  };
}

/**
 * Opens the store (if any), loads the model to serve, builds the app and listens. Resolves once
 * listening; a missing model is not an error (the API answers 503 until one is active).
 *
 * @example
 *   const running = await startServer({ host: '127.0.0.1', port: 8080, dbPath: 'data/contrarec.db' });
 *   // ... later
 *   await running.close();
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? jsonLinesLogger;
  const store: Store | undefined = opts.dbPath ? await openStore(opts.dbPath) : undefined;
  const resolveActive = activeModelResolver(opts, store);
  // One view of the database's reachability for the background work, so that an outage is logged once.
  const outage = store && new StoreOutage(log);
  const live =
    store && opts.liveHistory !== false
      ? new LiveServing(store, { checkIntervalMs: opts.liveCheckIntervalMs, cacheSize: opts.liveCacheUsers, log, outage })
      : undefined;
  const models = new ModelRegistry(snapshotLoader(store, opts.dbPath, live, log), resolveActive, log, opts.releaseGraceMs, outage);
  await models.sync();
  const following = opts.artifactDir === undefined;
  const stopWatching = following ? models.watch(opts.watchIntervalMs ?? 2000) : () => {};
  // On PostgreSQL a promotion is heard at once; the poll above stays as the fallback.
  const stopListening = following && store ? followActivations(store, () => void models.sync(), log) : async () => {};
  const app = createApp({
    models,
    listModels:
      store &&
      (async (): Promise<ModelListEntry[]> =>
        (await listModels(store)).map((m) => ({
          version: m.version,
          status: m.status,
          createdAt: iso(m.createdAt) ?? '',
          finishedAt: iso(m.finishedAt),
          metrics: m.metrics,
        }))),
    ingestInteractions: store && apiIngester(store, live, models),
    writeItems: store && apiItemWriter(store, live, models),
    deleteItem: store && apiItemDeleter(store, live, models),
    live,
    adminToken: opts.adminToken,
    bodyLimitBytes: opts.bodyLimitBytes,
    console: { data: store && consoleDataFromStore(store), reportsDir: opts.reportsDir, readToken: opts.readToken },
    log,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = createServer(app);
    answerClientErrors(s);
    s.once('error', reject);
    s.listen(opts.port, opts.host, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    models,
    live,
    server,
    async close() {
      stopWatching();
      await stopListening();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store?.close();
    },
  };
}
