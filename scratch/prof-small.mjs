const { selectBackend } = await import('/work/main/dist/src/model/backend/select-backend.js');
const { buildSnapshot } = await import('/work/main/dist/src/data/snapshot.js');
const { trainModel } = await import('/work/main/dist/src/train/train-model.js');
const { plantedLog } = await import('/tmp/wt/test/train/planted-log.js');
await selectBackend(process.argv[2] ?? 'cpu');
const snapshot = buildSnapshot(plantedLog(1));
let t = performance.now();
const r = trainModel(snapshot, { epochs: 8, batchSize: 64, globalNegatives: 32, sslBatchSize: 32, learningRate: 5e-3, embeddingLearningRate: 2e-2, patience: 8 }, { embeddingDim: 16, hiddenSizes: [32, 16] }, { onEpochEnd: (l) => console.log(l.epoch, l.recall20, l.seconds, performance.now() - t) });
console.log(performance.now() - t);
