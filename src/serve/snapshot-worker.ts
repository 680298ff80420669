/**
 * Worker thread of `loadModelSnapshot`: reads and parses one model version (`prepareSnapshotParts`)
 * and posts the parts back, handing its typed arrays over rather than copying them, then exits.
 * Started once per load, so whatever it allocated while parsing goes with it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareSnapshotParts, transferablesOf, type PrepareRequest } from './snapshot-parts.js';

/** What the worker posts: the parts, or the error's message (errors name the file, so the message is what matters). */
export type SnapshotWorkerMessage =
  { readonly ok: true; readonly parts: Awaited<ReturnType<typeof prepareSnapshotParts>> } | { readonly ok: false; readonly message: string };

const port = parentPort;
if (port === null) throw new Error('snapshot-worker.js runs as a worker thread');
try {
  const parts = await prepareSnapshotParts(workerData as PrepareRequest);
  port.postMessage({ ok: true, parts } satisfies SnapshotWorkerMessage, transferablesOf(parts));
} catch (err) {
  port.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) } satisfies SnapshotWorkerMessage);
}
