import { Worker } from 'node:worker_threads';
import { compiledWorkerScript } from '../common/compiled-worker-script.js';
import type { ExperimentCell } from './experiment-cell.js';
import type { RunRecord } from './experiment-results.js';
import type { ExperimentWorkerData, ExperimentWorkerMessage } from './experiment-worker.js';

/** Worker threads that each run one experiment cell at a time. */
export interface ExperimentPool {
  readonly size: number;
  /** Runs a cell on the next free worker; epoch lines go to `onEpochLine` as they come. */
  run(cell: ExperimentCell, onEpochLine: (line: string) => void): Promise<RunRecord>;
  close(): Promise<void>;
}

interface Slot {
  readonly worker: Worker;
  busy: boolean;
}

/**
 * Starts `size` experiment workers and waits until each has loaded the data. Cells are
 * independent (own seed, own model), so N workers finish a grid about N times faster on N cores;
 * a run's figures do not depend on which worker ran it.
 */
export async function startExperimentPool(size: number, init: ExperimentWorkerData): Promise<ExperimentPool> {
  const slots: Slot[] = [];
  const waiting: (() => void)[] = [];
  const workers = Array.from({ length: size }, () => new Worker(compiledWorkerScript(import.meta.url, 'experiment-worker.js'), { workerData: init }));
  const started = await Promise.allSettled(
    workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          worker.once('message', (m: ExperimentWorkerMessage) =>
            m.type === 'ready' ? resolve() : reject(new Error(m.type === 'error' ? m.message : 'experiment worker failed to start')),
          );
          worker.once('error', reject);
        }),
    ),
  );
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    // One worker that cannot start stops them all: a live worker would keep the process alive.
    await Promise.all(workers.map((w) => w.terminate()));
    throw failed.reason;
  }
  for (const worker of workers) slots.push({ worker, busy: false });
  // Claims a slot in the same tick it is found free, so two callers never get the same one.
  const claim = async (): Promise<Slot> => {
    for (;;) {
      const slot = slots.find((s) => !s.busy);
      if (slot) {
        slot.busy = true;
        return slot;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
  return {
    size,
    async run(cell, onEpochLine) {
      const slot = await claim();
      try {
        return await new Promise<RunRecord>((resolve, reject) => {
          const onMessage = (m: ExperimentWorkerMessage): void => {
            if (m.type === 'epoch') return onEpochLine(m.line);
            slot.worker.off('message', onMessage);
            slot.worker.off('error', reject);
            if (m.type === 'done') resolve(m.record);
            else reject(new Error(m.type === 'error' ? m.message : `unexpected message ${m.type}`));
          };
          slot.worker.on('message', onMessage);
          slot.worker.once('error', reject);
          slot.worker.postMessage(cell);
        });
      } finally {
        slot.busy = false;
        waiting.shift()?.();
      }
    },
    async close() {
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
