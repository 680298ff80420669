import { sql, type Kysely, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { dialectOf, type Store } from './store.js';

/** The PostgreSQL channel `activateModel` notifies on, with the version as payload. */
export const ACTIVE_MODEL_CHANNEL = 'contrarec_active_model';

/** The `application_name` of listener connections, so that an operator can tell them apart in `pg_stat_activity`. */
export const LISTENER_APPLICATION_NAME = 'contrarec-activation-listener';

/**
 * Announces that `version` became active, inside the activating transaction: PostgreSQL delivers
 * a notification only when that transaction commits, so a listener never hears of an activation
 * that was rolled back, nor before it can read it. SQLite has no such channel (servers poll).
 */
export async function notifyActivation(store: Store, tx: Transaction<Database> | Kysely<Database>, version: string): Promise<void> {
  if (dialectOf(store).dialect !== 'postgres') return;
  await sql`select pg_notify(${ACTIVE_MODEL_CHANNEL}, ${version})`.execute(tx);
}

/** A connection listening for activations: `lost` resolves when the connection fails or the server ends it (never after `close()`). */
export interface ActivationListener {
  readonly lost: Promise<Error>;
  close(): Promise<void>;
}

/**
 * Opens a dedicated connection (outside the store's pool, which would otherwise lose a
 * connection for as long as the server runs) that `LISTEN`s for activations and calls
 * `onActivated` with each activated version. Undefined on SQLite, where there is nothing to
 * listen to. Rejects when the connection cannot be made; reconnecting is the caller's choice.
 */
export async function listenForActivations(store: Store, onActivated: (version: string) => void): Promise<ActivationListener | undefined> {
  const concrete = dialectOf(store);
  if (concrete.dialect !== 'postgres') return undefined;
  // The pool's settings (URL, type parsers); keepAlive so that a vanished server is noticed.
  const client = new pg.Client({ ...concrete.pool.options, application_name: LISTENER_APPLICATION_NAME, keepAlive: true });
  let closing = false;
  const lost = new Promise<Error>((resolve) => {
    client.on('error', (err) => closing || resolve(err));
    client.on('end', () => closing || resolve(new Error('the listener connection ended')));
  });
  client.on('notification', (n) => {
    if (n.channel === ACTIVE_MODEL_CHANNEL) onActivated(n.payload ?? '');
  });
  try {
    await client.connect();
    await client.query(`listen ${ACTIVE_MODEL_CHANNEL}`);
  } catch (err) {
    closing = true;
    await client.end().catch(() => undefined);
    throw err;
  }
  return {
    lost,
    async close() {
      closing = true;
      await client.end().catch(() => undefined);
    },
  };
}
