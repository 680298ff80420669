/**
 * Worker-thread entry of file ingest: runs {@link encodeInteractionChunks} on the files in
 * `workerData` and posts each chunk (its typed arrays transferred, not copied), so parsing
 * uses the second core while the main thread writes SQLite. At most `CREDIT` chunks are in
 * flight; the main thread hands each chunk's arrays back once written, which bounds memory
 * however far ahead parsing could run, and lets the arrays be reused.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../common/user-error.js';
import { encodeInteractionChunks, type ChunkArrays } from './encode-interactions.js';
import type { ParseWorkerData, ParseWorkerMessage } from './parsed-chunks.js';

const CREDIT = 2;

const port = parentPort;
if (port === null) throw new Error('interaction-parse-worker must run in a worker thread');
let credit = CREDIT;
let wake: (() => void) | undefined;
// Array sets the main thread has written and transferred back, for the next chunks.
const pool: ChunkArrays[] = [];
port.on('message', (m: ChunkArrays) => {
  pool.push(m);
  credit++;
  wake?.();
  wake = undefined;
});
const post = (m: ParseWorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
const { files, flags, rules } = workerData as ParseWorkerData;
try {
  for await (const chunk of encodeInteractionChunks(files, flags, rules, pool)) {
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit--;
    const buffers = [chunk.user, chunk.item, chunk.event, chunk.ts, chunk.weight].map((a) => a.buffer as ArrayBuffer);
    post({ type: 'chunk', chunk }, buffers);
  }
  post({ type: 'done' });
} catch (err) {
  post({
    type: 'error',
    message: err instanceof Error ? err.message : String(err),
    exitCode: err instanceof UserError ? err.exitCode : undefined,
  });
}
