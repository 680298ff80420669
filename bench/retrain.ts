/**
 * `npm run bench:retrain`: one nightly retrain on ml-100k, cold vs warm start. The store holds all
 * of ml-100k; "yesterday's" model (the active one) is trained on the interactions before the 95th
 * percentile of time; then two retrains on everything up to now, both in dry-run (gated, not
 * promoted, so both are compared with the same active model on the same hold-out): one from
 * scratch, one warm-started from the active model. Prints wall time, epochs run (early stopping,
 * patience as given), the hold-out Recall@20 of the new model and of the active one. The 1-minute
 * load average is printed: this machine's 2 cores are shared, so times vary with other work.
 *
 * Flags: `--epochs N` (max epochs, default 6), `--patience N` (default 2), `--backend`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_ERRORS, ingestFiles, prepareFiles } from '../src/ingest/index.js';
import type { BackendName } from '../src/kernels/backend-order.js';
import { runRetrain, type RetrainOutcome } from '../src/retrain/run-retrain.js';
import { getModel, openStore, readInteractionLog } from '../src/store/index.js';
import { runTraining } from '../src/train/run-training.js';
import type { EpochLog } from '../src/train/train-model.js';
import { ML100K_DATASET_DIR } from './ml100k-store.js';
import { reportBenchTable, type BenchCell } from './bench-results.js';

const { values } = parseArgs({ options: { epochs: { type: 'string' }, patience: { type: 'string' }, backend: { type: 'string' } } });
if (!existsSync(ML100K_DATASET_DIR)) {
  console.log(`skipped: ${ML100K_DATASET_DIR} is absent`);
  process.exit(0);
}
const train = { epochs: Number(values.epochs ?? 6), patience: Number(values.patience ?? 2) };
const backend = (values.backend ?? 'auto') as BackendName | 'auto';
const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-bench-retrain-'));
const dbPath = path.join(dir, 'ml100k.db');
const stamp = (line: string): void => void process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const observer = { onEpochEnd: (e: EpochLog) => stamp(`  epoch ${e.epoch}: valid recall@20 ${e['recall@20']?.toFixed(4)} (${e.seconds.toFixed(0)} s)`) };

try {
  const store = await openStore(dbPath);
  const opts = { maxErrors: DEFAULT_MAX_ERRORS, multiSep: '|' };
  for (const [kind, file] of [
    ['users', 'ml-100k.user'],
    ['items', 'ml-100k.item'],
    ['interactions', 'ml-100k.inter'],
  ] as const) {
    await ingestFiles(store, kind, await prepareFiles(kind, [path.join(ML100K_DATASET_DIR, file)], {}), opts);
  }
  const ts = Float64Array.from((await readInteractionLog(store)).interactions.ts).sort();
  const yesterday = ts[Math.floor(ts.length * 0.95)];
  store.close();
  const t0 = performance.now();
  const active = await runTraining({ dbPath, train, backend, activate: true, until: yesterday, log: stamp, observer });
  console.log(
    `active model ${active.record.version}: trained on ${ts.filter((t) => t < yesterday).length} of ${ts.length} interactions in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const rows: BenchCell[][] = [];
  for (const warmStart of [false, true]) {
    const o: RetrainOutcome = await runRetrain({ dbPath, config: { warmStart, dryRun: true }, train, backend, log: stamp, observer });
    const s = await openStore(dbPath);
    const m = o.version === undefined ? undefined : ((await getModel(s, o.version))?.metrics as { epochs?: number; bestEpoch?: number } | undefined);
    s.close();
    rows.push([
      warmStart ? 'warm' : 'cold',
      Number(o.seconds.toFixed(1)),
      m?.epochs ?? null,
      m?.bestEpoch ?? null,
      o.candidate?.recall ?? null,
      o.active?.recall ?? null,
      o.status === 'failed' ? `failed: ${o.reason}` : 'pass',
    ]);
  }
  reportBenchTable('retrain', {
    title: `nightly retrain on ml-100k, cold vs warm start (max epochs ${train.epochs}, patience ${train.patience}; load average (1 min) ${loadavg()[0].toFixed(2)})`,
    columns: ['run', 'seconds', 'epochs', 'best epoch', 'recall@20 new', 'recall@20 active', 'gate'],
    rows,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
