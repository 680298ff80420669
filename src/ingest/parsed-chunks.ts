import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError } from '../common/user-error.js';
import { columnFlagsOf, type ColumnFlags } from './columns.js';
import { encodeInteractionChunks, type EncodedChunk } from './encode-interactions.js';
import type { PreparedFile } from './prepare-files.js';
import { DEFAULT_RECORD_RULES, type RecordRules } from './record-rules.js';

/** What the parse worker is started with. */
export interface ParseWorkerData {
  readonly files: readonly PreparedFile[];
  readonly flags: ColumnFlags;
  readonly rules: RecordRules;
}

/** What the parse worker posts back. */
export type ParseWorkerMessage =
  | { readonly type: 'chunk'; readonly chunk: EncodedChunk }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string; readonly exitCode: number | undefined };

/** Below this many input bytes (~40,000 rows) a worker's start-up (~30 ms) costs more than it saves. */
const WORKER_MIN_BYTES = 1 << 20;

const WORKER_FILE = fileURLToPath(new URL('./interaction-parse-worker.js', import.meta.url));

/**
 * The encoded chunks of interaction files, parsed on a worker thread when the input is large
 * and the compiled worker exists (it does not when the TypeScript sources run directly, as
 * under vitest), else on this thread; both run the same {@link encodeInteractionChunks}.
 * Stopping the iteration early (break, throw) terminates the worker.
 */
export function parsedChunks(files: readonly PreparedFile[], flags: ColumnFlags & { readonly rules?: RecordRules }): AsyncGenerator<EncodedChunk> {
  const bytes = files.reduce((s, f) => s + f.bytes, 0);
  const useWorker = bytes >= WORKER_MIN_BYTES && fs.existsSync(WORKER_FILE);
  // Only the plain fields cross the thread boundary (flags may sit on an options object with callbacks).
  const plainFlags = columnFlagsOf(flags);
  const rules = flags.rules ?? DEFAULT_RECORD_RULES;
  return useWorker ? workerChunks({ files, flags: plainFlags, rules }) : encodeInteractionChunks(files, plainFlags, rules);
}

async function* workerChunks(data: ParseWorkerData): AsyncGenerator<EncodedChunk> {
  const worker = new Worker(WORKER_FILE, { workerData: data });
  const queue: ParseWorkerMessage[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (m: ParseWorkerMessage) => {
    queue.push(m);
    notify();
  });
  worker.on('error', (err) => {
    failure = err;
    notify();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`ingest parse worker exited with code ${code}`);
    notify();
  });
  try {
    for (;;) {
      while (queue.length === 0 && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
      const m = queue.shift();
      if (m === undefined) throw failure;
      if (m.type === 'done') return;
      if (m.type === 'error') throw m.exitCode === undefined ? new Error(m.message) : new UserError(m.message, m.exitCode);
      yield m.chunk;
      // Written: the arrays go back to the worker (transferred) to be filled again.
      const { user, item, event, ts, weight } = m.chunk;
      const buffers = [user, item, event, ts, weight].map((a) => a.buffer as ArrayBuffer);
      worker.postMessage({ user, item, event, ts, weight }, buffers);
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}
