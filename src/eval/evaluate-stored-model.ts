import { existsSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../common/user-error.js';
import { buildSnapshot, type SnapshotOptions } from '../data/snapshot.js';
import { artifactDirOf } from '../model/artifact/artifact-layout.js';
import { loadArtifact, type LoadedArtifact } from '../model/artifact/load-artifact.js';
import { selectBackend } from '../model/backend/select-backend.js';
import { getActiveModel, getModel, openStore, readInteractionLog, type InteractionLog, type ModelRecord, type Store } from '../store/index.js';
import { EvalLists, indexOf } from './eval-lists.js';
import { evaluateEmbeddings, type EvaluationReport } from './evaluate-embeddings.js';
import { readInteractionFiles } from './read-interaction-files.js';

/** What `contrarec eval` was asked for. */
export interface StoredEvalOptions {
  readonly dbPath: string;
  /** Model version; the active model when absent. */
  readonly version?: string;
  /** `valid`: the store's chronological hold-out as the model's snapshot defined it; `test`: needs `testFile`. */
  readonly split: 'valid' | 'test';
  readonly ks: readonly number[];
  /** Interactions not in the store to evaluate on (any ingest format); implies split `test`. */
  readonly testFile?: string;
}

/** The report, which model and split it is about, and what could not be evaluated. */
export interface StoredEvaluation extends EvaluationReport {
  readonly version: string;
  readonly split: 'valid' | 'test';
  /** Test-file rows (and distinct users) whose user the model does not know: skipped. */
  readonly unknownUserRows: number;
  readonly unknownUsers: number;
  /** Truth rows whose item is not in the model's catalogue: skipped. */
  readonly unknownItemRows: number;
}

const SplitOfConfig = z.object({ snapshot: z.object({ split: z.object({ kind: z.literal('holdout'), fraction: z.number() }).optional() }).optional() });

async function findModel(store: Store, dbPath: string, version: string | undefined): Promise<ModelRecord> {
  const record = version === undefined ? await getActiveModel(store) : await getModel(store, version);
  if (record === undefined) {
    throw new UserError(
      version === undefined
        ? `no active model in ${dbPath}: train one with \`contrarec train --db ${dbPath}\`, or name a version with --model`
        : `no model version "${version}" in ${dbPath}`,
    );
  }
  if (record.status !== 'ready' && record.status !== 'active') throw new UserError(`model ${record.version} is ${record.status}, not ready: it cannot be evaluated`);
  return record;
}

function artifactOf(record: ModelRecord, dbPath: string): LoadedArtifact {
  const dir = artifactDirOf(record, dbPath);
  if (!existsSync(dir)) throw new UserError(`model ${record.version}: artifact folder ${dir} is missing`);
  return loadArtifact(dir);
}

/** Validation: the hold-out of the training snapshot; users embedded from their training history only. */
function validInputs(log: InteractionLog, record: ModelRecord, a: LoadedArtifact) {
  const split = SplitOfConfig.safeParse(record.config).data?.snapshot?.split;
  const options: Partial<SnapshotOptions> = split ? { split } : {};
  const snap = buildSnapshot(log, options);
  const users = log.users.map((u) => u.externalId);
  const items = log.items.map((i) => i.externalId);
  // Rows = the store's users (any user can be embedded by the user tower, known or not).
  const truth = new EvalLists(indexOf(users), indexOf(a.itemIds));
  const exclude = new EvalLists(indexOf(users), indexOf(a.itemIds));
  const dim = a.manifest.dim;
  const userEmbeddings = new Float32Array(users.length * dim);
  for (let u = 0; u < users.length; u++) {
    const history: string[] = [];
    for (let p = snap.trainItems.offsets[u]; p < snap.trainItems.offsets[u + 1]; p++) {
      history.push(items[snap.trainItems.rows[p]]);
      exclude.add(users[u], items[snap.trainItems.rows[p]]);
    }
    const hasTruth = snap.validation.offsets[u + 1] > snap.validation.offsets[u];
    for (let p = snap.validation.offsets[u]; p < snap.validation.offsets[u + 1]; p++) truth.add(users[u], items[snap.validation.rows[p]]);
    if (hasTruth) userEmbeddings.set(a.embedUser({ userId: users[u], features: log.users[u].features, recentItems: history }), u * dim);
  }
  return { userEmbeddings, numUsers: users.length, truth, exclude, unknownUsers: new Set<string>() };
}

/** Test file: every stored interaction excluded; users are the model's (served embeddings). */
async function testInputs(log: InteractionLog, testFile: string, a: LoadedArtifact) {
  const test = (await readInteractionFiles([testFile])).log;
  const userIndex = indexOf(a.userIds);
  const itemIndex = indexOf(a.itemIds);
  const truth = new EvalLists(userIndex, itemIndex);
  const exclude = new EvalLists(userIndex, itemIndex);
  const { user, item } = log.interactions;
  for (let k = 0; k < user.length; k++) exclude.add(log.users[user[k]].externalId, log.items[item[k]].externalId);
  for (let k = 0; k < test.interactions.user.length; k++) truth.add(test.users[test.interactions.user[k]].externalId, test.items[test.interactions.item[k]].externalId);
  return { userEmbeddings: a.userEmbeddings, numUsers: a.userIds.length, truth, exclude, unknownUsers: truth.unknownUsers };
}

/**
 * `contrarec eval` without the printing: loads the model (active or `version`) and its artifact,
 * builds the truth and the items to exclude, and runs the full-ranking protocol of
 * `../shared/benchmarks/README.md` over the model's whole catalogue. With `testFile` the truth is
 * that file's interactions and everything already in the store is excluded (train + valid of the
 * benchmark ⇒ its published test protocol); test users the model does not know are counted and
 * skipped. Without it, the truth is the store's per-user chronological hold-out exactly as the
 * model's training snapshot drew it (data up to the model's `dataTo`), and users are embedded from
 * their training history only, so the held-out items do not leak into the query.
 *
 * @example
 *   const r = await evaluateStoredModel({ dbPath, split: 'test', ks: [10, 20], testFile: 'test.tsv' });
 */
export async function evaluateStoredModel(o: StoredEvalOptions): Promise<StoredEvaluation> {
  if (!existsSync(o.dbPath)) throw new UserError(`no database at ${o.dbPath}: ingest data and train a model first (\`contrarec ingest\`, \`contrarec train\`)`);
  if (o.split === 'test' && o.testFile === undefined) {
    throw new UserError('--split test needs --test FILE: the store holds no test split (its models train on everything but the validation hold-out)');
  }
  const store = await openStore(o.dbPath, { readonly: true });
  try {
    const record = await findModel(store, o.dbPath, o.version);
    await selectBackend('auto'); // the towers in the artifact are TF.js tensors
    const a = artifactOf(record, o.dbPath);
    const until = o.testFile === undefined && record.dataTo !== null ? record.dataTo + 1 : undefined;
    const log = readInteractionLog(store, { until });
    const inputs = o.testFile === undefined ? validInputs(log, record, a) : await testInputs(log, o.testFile, a);
    const truth = inputs.truth.lists(inputs.numUsers);
    const users = Int32Array.from({ length: inputs.numUsers }, (_, u) => u).filter((u) => truth.offsets[u + 1] > truth.offsets[u]);
    if (users.length === 0) throw new UserError(`nothing to evaluate: no ${o.testFile ?? 'validation'} interaction has a user and an item the model knows`);
    const report = evaluateEmbeddings({
      userEmbeddings: inputs.userEmbeddings,
      itemEmbeddings: a.itemEmbeddings,
      dim: a.manifest.dim,
      users,
      exclude: inputs.exclude.lists(inputs.numUsers),
      truth,
      ks: o.ks,
      itemPopularity: inputs.exclude.itemCounts(a.itemIds.length),
    });
    return {
      ...report,
      version: record.version,
      split: o.testFile === undefined ? 'valid' : 'test',
      unknownUserRows: inputs.truth.unknownUserPairs,
      unknownUsers: inputs.unknownUsers.size,
      unknownItemRows: inputs.truth.unknownItemPairs,
    };
  } finally {
    store.close();
  }
}
