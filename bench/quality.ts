/**
 * `npm run bench:quality`: the ml-100k benchmark of ../shared/benchmarks/README.md, through the real
 * store (temporary SQLite db + ingest), with the default settings.
 *
 *   1. validation: train on train.tsv, early-stop on valid.tsv (train items excluded) → best epoch E
 *   2. test: train on train.tsv + valid.tsv for E epochs, rank all 1,682 items for each user with
 *      their train and valid items excluded, Recall/NDCG@{10,20} on test.tsv (measured once)
 *
 * Flags: `--train '{json TrainConfig overrides}'`, `--model '{json ModelConfig overrides}'`,
 * `--valid-only` (tuning), `--test-epochs E` (skip step 1, use E epochs), `--backend <name>`.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { evaluationInput, rankingInputOf } from '../src/data/evaluation/evaluation-input.js';
import { pairsOnRows, rowsOf } from '../src/data/evaluation/row-pairs.js';
import { buildSnapshot, type Snapshot } from '../src/data/snapshot.js';
import { evaluateFullRanking } from '../src/metrics/evaluate-full-ranking.js';
import { selectBackend, type BackendName } from '../src/kernels/select-backend.js';
import { embedAllItems, embedAllUsers, type TwoTowerModel } from '../src/model/two-tower-model.js';
import { formatEpoch } from '../src/train/progress-observer.js';
import { DEFAULT_TRAIN_CONFIG } from '../src/train/train-config.js';
import { trainModel } from '../src/train/train-model.js';
import { reportBenchTable, type BenchCell } from './bench-results.js';
import { ML100K_SPLIT_DIR, ml100kThroughStore, splitPairs } from './ml100k-store.js';

const { values } = parseArgs({
  options: {
    train: { type: 'string' },
    model: { type: 'string' },
    'valid-only': { type: 'boolean' },
    'test-epochs': { type: 'string' },
    backend: { type: 'string' },
  },
});
if (!existsSync(ML100K_SPLIT_DIR)) {
  console.log(`bench:quality skipped: ${ML100K_SPLIT_DIR} is absent`);
  process.exit(0);
}
const kernels = await selectBackend((values.backend ?? 'auto') as BackendName | 'auto');
const trainOver = JSON.parse(values.train ?? '{}');
const modelOver = JSON.parse(values.model ?? '{}');
const log = (line: string): void => void process.stderr.write(`${line}\n`);
log(`backend ${kernels.backend}; overrides train ${JSON.stringify(trainOver)} model ${JSON.stringify(modelOver)}`);

function pairMask(l: Awaited<ReturnType<typeof ml100kThroughStore>>, file: string): Uint8Array {
  const set = new Set(splitPairs(file).map(([u, i]) => `${u} ${i}`));
  return Uint8Array.from(l.interactions.user, (u, k) => (set.has(`${l.users[u].externalId} ${l.items[l.interactions.item[k]].externalId}`) ? 1 : 0));
}

function testMetrics(model: TwoTowerModel, snapshot: Snapshot) {
  const truth = pairsOnRows(splitPairs('test.tsv'), rowsOf(snapshot.users.externalIds), rowsOf(snapshot.items.externalIds));
  const input = evaluationInput({
    kind: 'test',
    numUsers: snapshot.users.externalIds.length,
    numItems: snapshot.items.externalIds.length,
    seen: snapshot.train,
    truth: truth.pairs,
    dropped: truth.dropped,
  });
  const r = evaluateFullRanking({
    userEmbeddings: embedAllUsers(kernels, model, snapshot),
    itemEmbeddings: embedAllItems(kernels, model, snapshot),
    dim: model.config.hiddenSizes.at(-1)!,
    ...rankingInputOf(input),
    ks: [10, 20],
  });
  return {
    users: r.evaluatedUsers,
    items: snapshot.items.externalIds.length,
    r10: r.atK[0].recall,
    n10: r.atK[0].ndcg,
    r20: r.atK[1].recall,
    n20: r.atK[1].ndcg,
  };
}

const started = performance.now();
const rows: BenchCell[][] = [];
let testEpochs = Number(values['test-epochs'] ?? 0);
if (testEpochs === 0) {
  const tuneLog = await ml100kThroughStore(['train.tsv', 'valid.tsv']);
  const tuneSnap = buildSnapshot(tuneLog, { split: { kind: 'explicit', validation: pairMask(tuneLog, 'valid.tsv') } });
  const tuned = trainModel(kernels, tuneSnap, trainOver, modelOver, { onEpochEnd: (e) => log(formatEpoch(e)) });
  rows.push(['valid', 'train', tuned.bestEpoch, tuned.best['recall@20']!, tuned.best['ndcg@20']!, null, null]);
  testEpochs = tuned.bestEpoch;
}
if (values['valid-only'] !== true) {
  const fullLog = await ml100kThroughStore(['train.tsv', 'valid.tsv']);
  const fullSnap = buildSnapshot(fullLog, { split: { kind: 'none' } });
  const final = trainModel(kernels, fullSnap, { ...trainOver, epochs: testEpochs }, modelOver, { onEpochEnd: (e) => log(formatEpoch(e)) });
  const t = testMetrics(final.model, fullSnap);
  rows.push(['test', 'train+valid', testEpochs, t.r20, t.n20, t.r10, t.n10]);
  log(`test: ${t.users} users, ${t.items} items ranked`);
}
reportBenchTable('quality', {
  title: `ml-100k two-tower (${kernels.backend}; loss ${trainOver.loss ?? DEFAULT_TRAIN_CONFIG.loss}; ${((performance.now() - started) / 1000).toFixed(0)} s)`,
  columns: ['split', 'trained on', 'epochs', 'Recall@20', 'NDCG@20', 'Recall@10', 'NDCG@10'],
  rows,
});
