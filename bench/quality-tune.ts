import { selectBackend } from '../src/model/backend/select-backend.js';
import { buildSnapshot } from '../src/data/snapshot.js';
import { trainModel } from '../src/train/train-model.js';
import { loadMl100k } from './ml100k-log.js';

const backend = await selectBackend((process.env.BACKEND as 'wasm') ?? 'auto');
const { log, source } = loadMl100k(['train.tsv', 'valid.tsv']);
const snap = buildSnapshot(log, { split: { kind: 'explicit', validation: source } });
const over = JSON.parse(process.argv[2] ?? '{}');
const mover = JSON.parse(process.argv[3] ?? '{}');
console.log(backend, JSON.stringify(over), JSON.stringify(mover));
const r = trainModel(snap, { epochs: 30, ...over }, mover, {
  onEpochEnd: (l) => console.log(l.epoch, l.loss.main.toFixed(3), l.loss.userSsl.toFixed(3), 'R20', l.recall20?.toFixed(4), 'N20', l.ndcg20?.toFixed(4), 'al', l.alignment?.toFixed(3), 'un', l.uniformity.toFixed(3), 'sp', l.spread.toFixed(3), l.seconds.toFixed(1) + 's', Math.round(l.examplesPerSecond)),
});
console.log('best', r.bestEpoch, r.best.recall20, r.best.ndcg20);
