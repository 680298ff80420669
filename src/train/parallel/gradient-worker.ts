/**
 * Worker-thread entry for data-parallel training: loads TF.js on the backend it is given, then for
 * each message computes `computeGradients` on its slice of a step with the MLP weights sent along,
 * and posts the result back (buffers transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, type BackendName } from '../../kernels/select-backend.js';
import type { LossConfig } from '../../model/losses/compute-loss.js';
import { computeGradients } from '../compute-gradients.js';
import type { StepInputs } from '../step-inputs.js';

/** A step slice for one worker. */
export interface WorkerRequest {
  readonly inputs: StepInputs;
  readonly userWeights: readonly { values: Float32Array; shape: number[] }[];
  readonly itemWeights: readonly { values: Float32Array; shape: number[] }[];
  readonly lossConfig: LossConfig;
  readonly scale: number;
}

const port = parentPort!;
const kernels = await selectBackend((workerData as { backend: BackendName }).backend);
port.postMessage({ ready: true });
port.on('message', (req: WorkerRequest) => {
  try {
    const user = req.userWeights.map((w) => tf.tensor(w.values, w.shape));
    const item = req.itemWeights.map((w) => tf.tensor(w.values, w.shape));
    const r = computeGradients(kernels.matMuls, req.inputs, user, item, req.lossConfig, req.scale);
    tf.dispose([...user, ...item]);
    const transfer = [r.gxu.buffer, r.gxi.buffer, ...r.weightGrads.map((g) => g.buffer)] as ArrayBuffer[];
    port.postMessage({ result: r }, transfer);
  } catch (err) {
    port.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
