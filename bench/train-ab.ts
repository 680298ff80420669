/**
 * `npm run bench:train-ab -- --baseline <dist>`: training throughput of this build against another
 * build of contrarec, both loaded in this one process. `<dist>` is the other checkout's compiled
 * `dist/` folder, e.g. `git worktree add /tmp/base <commit> && (cd /tmp/base && ln -s
 * "$PWD/node_modules" . && npx tsc -p tsconfig.json)` then `--baseline /tmp/base/dist` (the
 * symlink makes both builds share one TF.js instance).
 *
 * Why: on a shared machine back-to-back runs of the same build move (compare the `train-*.json` files in bench/results), more than
 * most changes are worth. Here the two builds alternate in groups of 4 steps on the same batches,
 * so slow spells hit both alike; the first 2 rounds are warm-up. It also prints each build's last
 * losses, which shows whether a change kept the arithmetic (bit-identical or not). A baseline from
 * before `src/kernels/` (backend module in `src/model/backend/`) is driven through its older API.
 *
 * Flags: `--baseline <dist>` (required), `--data ml100k|synthetic` (1M interactions, 100k items),
 * `--rounds N` (default 16), `--model '{json}'`, `--train '{json}'` overrides for both builds.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Rng } from '../src/common/rng.js';
import type { Snapshot } from '../src/data/snapshot.js';
import type { BackendName } from '../src/kernels/backend-order.js';
import type { Kernels } from '../src/kernels/kernels.js';
import type { ModelConfig } from '../src/model/model-config.js';
import type { TwoTowerModel } from '../src/model/two-tower-model.js';
import type { InteractionLog } from '../src/store/interaction-log.js';
import type { TrainConfig } from '../src/train/train-config.js';
import type { TrainContext } from '../src/train/train-context.js';
import { ml100kThroughStore } from './ml100k-store.js';
import { syntheticLog } from './synthetic-log.js';
import { reportBenchTable } from './bench-results.js';

/** The modules of a build that train-ab calls the same way in every version. */
type Modules = {
  readonly rng: typeof import('../src/common/rng.js');
  readonly snapshot: typeof import('../src/data/snapshot.js');
  readonly modelConfig: typeof import('../src/model/model-config.js');
  readonly model: typeof import('../src/model/two-tower-model.js');
  readonly trainConfig: typeof import('../src/train/train-config.js');
  readonly step: typeof import('../src/train/train-step.js');
};

/** A build, with its backend selection and train context behind one interface whatever its API. */
type Build = Modules & {
  /** Selects the backend in this build and returns its name. */
  readonly selectBackend: (wish: BackendName | 'auto') => Promise<BackendName>;
  /** The build's train context for a model, on the backend selected last. */
  readonly createTrainContext: (snapshot: Snapshot, model: TwoTowerModel, config: TrainConfig, rng: Rng) => TrainContext;
};

/**
 * The API of builds from before `src/kernels/` (a baseline checkout): the backend module lived in
 * `src/model/backend/`, its selectBackend returned the backend's name, and the train context read
 * the active kernels from module state instead of taking them.
 */
interface LegacyBackendModule {
  selectBackend(wish: BackendName | 'auto'): Promise<BackendName>;
}

/** The legacy build's train-context module (see {@link LegacyBackendModule}). */
interface LegacyContextModule {
  createTrainContext(snapshot: Snapshot, model: TwoTowerModel, config: TrainConfig, rng: Rng): TrainContext;
}

const { values } = parseArgs({
  options: { baseline: { type: 'string' }, data: { type: 'string' }, rounds: { type: 'string' }, model: { type: 'string' }, train: { type: 'string' } },
});
if (values.baseline === undefined || !existsSync(path.join(values.baseline, 'src', 'train', 'train-step.js'))) {
  console.error(`--baseline must name another build's dist/ folder (with src/train/train-step.js); got ${values.baseline ?? 'nothing'}`);
  process.exit(2);
}
const data = values.data ?? 'ml100k';
if (data !== 'ml100k' && data !== 'synthetic') {
  console.error(`--data: expected ml100k or synthetic, got '${data}'`);
  process.exit(2);
}
const rounds = Number(values.rounds ?? 16);
const GROUP = 4;
const WARM_UP_ROUNDS = 2;

async function loadBuild(dist: string): Promise<Build> {
  const load = <T>(file: string): Promise<T> => import(pathToFileURL(path.join(dist, file)).href) as Promise<T>;
  const modules: Modules = {
    rng: await load('src/common/rng.js'),
    snapshot: await load('src/data/snapshot.js'),
    modelConfig: await load('src/model/model-config.js'),
    model: await load('src/model/two-tower-model.js'),
    trainConfig: await load('src/train/train-config.js'),
    step: await load('src/train/train-step.js'),
  };
  if (!existsSync(path.join(dist, 'src', 'kernels', 'select-backend.js'))) {
    const legacy = await load<LegacyBackendModule>(path.join('src', 'model', 'backend', 'select-backend.js'));
    const context = await load<LegacyContextModule>('src/train/train-context.js');
    return { ...modules, selectBackend: (wish) => legacy.selectBackend(wish), createTrainContext: (...args) => context.createTrainContext(...args) };
  }
  const backend = await load<typeof import('../src/kernels/select-backend.js')>('src/kernels/select-backend.js');
  const context = await load<typeof import('../src/train/train-context.js')>('src/train/train-context.js');
  let kernels: Kernels | undefined;
  return {
    ...modules,
    selectBackend: async (wish) => (kernels = await backend.selectBackend(wish)).backend,
    createTrainContext: (...args) => {
      if (kernels === undefined) throw new Error(`${dist}: createTrainContext before selectBackend`);
      return context.createTrainContext(kernels, ...args);
    },
  };
}

const builds = [await loadBuild(path.resolve(values.baseline)), await loadBuild(path.resolve(import.meta.dirname, '..'))];
const backend = await builds[1].selectBackend('auto');
await builds[0].selectBackend(backend);
const log: InteractionLog = data === 'ml100k' ? await ml100kThroughStore(['train.tsv']) : syntheticLog(1_000_000, 100_000, 50_000);
// The overrides go to both builds unchecked: a field the baseline does not know is ignored there.
const modelOverrides = JSON.parse(values.model ?? '{}') as Partial<ModelConfig>;
const trainOverrides = JSON.parse(values.train ?? '{}') as Partial<TrainConfig>;
const runs = builds.map((b) => {
  const snapshot = b.snapshot.buildSnapshot(log, { split: { kind: 'none' } });
  const rng = b.rng.createRng(1);
  const model = b.model.createTwoTowerModel(snapshot, { ...b.modelConfig.DEFAULT_MODEL_CONFIG, ...modelOverrides }, rng.fork());
  const ctx = b.createTrainContext(snapshot, model, { ...b.trainConfig.DEFAULT_TRAIN_CONFIG, ...trainOverrides }, rng.fork());
  return { build: b, ctx, model, rows: snapshot.train.user.length, ms: 0, losses: [] as string[] };
});
const batchSize = runs[1].ctx.config.batchSize;
const batch = (rows: number, s: number) => Int32Array.from({ length: batchSize }, (_, k) => (s * batchSize + k * 7919) % rows);

for (let round = 0; round < rounds; round++) {
  for (const run of runs) {
    const started = performance.now();
    for (let j = 0; j < GROUP; j++) {
      const loss = run.build.step.trainStep(run.ctx, batch(run.rows, round * GROUP + j));
      if (round === rounds - 1) run.losses.push(loss.total.toFixed(5));
    }
    if (round >= WARM_UP_ROUNDS) run.ms += performance.now() - started;
  }
}
const timedSteps = (rounds - WARM_UP_ROUNDS) * GROUP;
const exPerSec = (ms: number) => (batchSize * timedSteps * 1000) / ms;
reportBenchTable('train-ab', {
  title: `train A/B (${backend}; ${data}; ${timedSteps} timed steps each, groups of ${GROUP} interleaved; model ${values.model ?? '{}'}, train ${values.train ?? '{}'}; baseline ${values.baseline})`,
  columns: ['build', 'examples/s', 'ms/step', 'last losses'],
  rows: runs.map((run, k) => [k === 0 ? 'baseline' : 'this', Math.round(exPerSec(run.ms)), Number((run.ms / timedSteps).toFixed(1)), run.losses.join(' ')]),
  notes: [`this / baseline: ${(runs[0].ms / runs[1].ms).toFixed(3)}; losses ${runs[0].losses.join() === runs[1].losses.join() ? 'equal' : 'differ'}`],
});
runs.forEach((run) => run.build.model.disposeModel(run.model));
