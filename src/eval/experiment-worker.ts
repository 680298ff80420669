/**
 * Worker thread of `contrarec experiment --parallel N`: loads the experiment's data once, then
 * runs the cells it is sent, one at a time, on its own single-threaded TF.js, and posts back
 * epoch lines and each cell's run record.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend, type BackendName } from '../kernels/select-backend.js';
import { ExperimentCellRunner, type ExperimentCell } from './experiment-cell.js';
import { loadExperimentData } from './experiment-data.js';
import type { RunRecord } from './experiment-results.js';

/** What the pool tells a worker at start. */
export interface ExperimentWorkerData {
  readonly dataset: string;
  readonly usersFile?: string;
  readonly itemsFile?: string;
  readonly testMinRating?: number;
  readonly backend: BackendName | 'auto';
}

/** A worker's messages: ready, an epoch line of the cell it runs, a finished cell, or a failure. */
export type ExperimentWorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'epoch'; readonly line: string }
  | { readonly type: 'done'; readonly record: RunRecord }
  | { readonly type: 'error'; readonly message: string };

const port = parentPort!;
const init = workerData as ExperimentWorkerData;
const post = (m: ExperimentWorkerMessage): void => port.postMessage(m);
try {
  const kernels = await selectBackend(init.backend);
  const data = await loadExperimentData(init.dataset, { users: init.usersFile, items: init.itemsFile });
  const runner = new ExperimentCellRunner(kernels, data, init.testMinRating);
  post({ type: 'ready' });
  port.on('message', (cell: ExperimentCell) => {
    runner
      .run(cell, (line) => post({ type: 'epoch', line }))
      .then(
        (record) => post({ type: 'done', record }),
        (e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
      );
  });
} catch (e) {
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}
