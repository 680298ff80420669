import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TrainResult } from '../train/train-model.js';
import { evaluateStoredModel } from './evaluate-stored-model.js';
import { buildTrainingReport } from './report/build-training-report.js';
import { epochRecord, runMetricsOf } from './run-record-parts.js';

/**
 * Evaluates a freshly registered model on its own validation hold-out (full ranking, head/tail,
 * alignment/uniformity) and writes the single-run HTML report to `file` (temporary file, then
 * renamed into place).
 */
export async function writeTrainingReport(file: string, dbPath: string, version: string, result: TrainResult): Promise<void> {
  const evaluation = await evaluateStoredModel({ dbPath, version, split: 'valid', ks: [10, 20] });
  const html = buildTrainingReport(
    {
      variant: 'train',
      noise: 0,
      seed: 0,
      metrics: runMetricsOf(evaluation),
      epochs: result.epochs.map(epochRecord),
      bestEpoch: result.bestEpoch,
      trainSeconds: result.epochs.reduce((s, e) => s + e.seconds, 0),
    },
    version,
  );
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, html);
  renameSync(tmp, file);
}
