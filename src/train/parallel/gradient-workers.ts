import { Worker } from 'node:worker_threads';
import { compiledWorkerScript } from '../../common/compiled-worker-script.js';
import type { BackendName } from '../../kernels/backend-order.js';
import type { LossConfig } from '../../model/losses/compute-loss.js';
import type { Mlp } from '../../model/mlp.js';
import type { GradientResult } from '../compute-gradients.js';
import type { StepInputs } from '../step-inputs.js';
import { mergeGradientResults, sliceStepInputs } from './slice-inputs.js';
import type { WorkerRequest } from './gradient-worker.js';

/** A pool of gradient workers, one TF.js instance each. */
export interface GradientWorkers {
  readonly size: number;
  /** Splits the step over the workers and merges their gradients (see `sliceStepInputs`). */
  compute(inputs: StepInputs, user: Mlp, item: Mlp, lossConfig: LossConfig): Promise<GradientResult>;
  close(): Promise<void>;
}

function weightsOf(mlp: Mlp): WorkerRequest['userWeights'] {
  return mlp.weights.map((w) => ({ values: (w.dataSync() as Float32Array).slice(), shape: w.shape }));
}

/**
 * Starts `size` worker threads on `backend` and waits until each has loaded TF.js. Data-parallel
 * over the rows of each batch; every worker also runs the item tower on all candidates (the
 * candidates are shared negatives), which is the price of an exact main loss.
 */
export async function startGradientWorkers(size: number, backend: BackendName): Promise<GradientWorkers> {
  const workers = Array.from({ length: size }, () => new Worker(compiledWorkerScript(import.meta.url, 'gradient-worker.js'), { workerData: { backend } }));
  const next = (w: Worker): Promise<{ result?: GradientResult; error?: string; ready?: boolean }> =>
    new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      w.once('error', onError);
      w.once('message', (m) => {
        w.off('error', onError);
        resolve(m);
      });
    });
  await Promise.all(workers.map(next));
  return {
    size,
    async compute(inputs, user, item, lossConfig) {
      const userWeights = weightsOf(user);
      const itemWeights = weightsOf(item);
      const slices = workers.map((_, k) => sliceStepInputs(inputs, k, size));
      const replies = await Promise.all(
        workers.map((w, k) => {
          const reply = next(w);
          const req: WorkerRequest = { inputs: slices[k].inputs, userWeights, itemWeights, lossConfig, scale: slices[k].scale };
          w.postMessage(req);
          return reply;
        }),
      );
      const results = replies.map((r) => {
        if (r.error !== undefined || r.result === undefined) throw new Error(`gradient worker failed: ${r.error ?? 'no result'}`);
        return r.result;
      });
      return mergeGradientResults(
        inputs,
        results,
        slices.map((x) => x.scale),
      );
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
