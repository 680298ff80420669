import { existsSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../common/user-error.js';
import { evaluationInput, type EvaluationInput } from '../data/evaluation/evaluation-input.js';
import { idPairsOf, pairsOnRows, rowsOf } from '../data/evaluation/row-pairs.js';
import { buildSnapshot, type SnapshotOptions } from '../data/snapshot.js';
import type { Kernels } from '../kernels/kernels.js';
import { scoresGemmOf } from '../kernels/scores-gemm.js';
import { selectBackend } from '../kernels/select-backend.js';
import { heldOutDirOf } from '../model/artifact/artifact-layout.js';
import { ensureLocalArtifact } from '../model/artifact/ensure-local-artifact.js';
import { loadArtifact, type LoadedArtifact } from '../model/artifact/load-artifact.js';
import { getActiveModel, getModel, openStore, readInteractionLog, type InteractionLog, type ModelRecord, type Store } from '../store/index.js';
import { evaluateEmbeddings, type EvaluationReport } from './evaluate-embeddings.js';
import { readInteractionFiles } from './read-interaction-files.js';
import { isMissingSqliteFile } from '../common/db-location.js';

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
  /** Only test rows whose rating is at least this are the truth (`evaluationInput`'s `minRating`); needs `testFile`. */
  readonly testMinRating?: number;
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
  /** Test rows rated below `testMinRating`: not truth (still ranked). */
  readonly belowMinRatingRows: number;
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
  if (record.status !== 'ready' && record.status !== 'active')
    throw new UserError(`model ${record.version} is ${record.status}, not ready: it cannot be evaluated`);
  return record;
}

/** The version's served model, or with `heldOut` the one that never trained on the hold-out (a refit version's hold-out run). */
async function artifactOf(kernels: Kernels, record: ModelRecord, store: Store, heldOut: boolean): Promise<LoadedArtifact> {
  const dir = await ensureLocalArtifact(store, record);
  if (!existsSync(dir)) throw new UserError(`model ${record.version}: artifact folder ${dir} is missing`);
  return loadArtifact(kernels, heldOut ? heldOutDirOf(dir) : dir);
}

/** Validation: the hold-out of the training snapshot; users embedded from their training history only, in batches by the user tower. */
function validInputs(log: InteractionLog, record: ModelRecord, a: LoadedArtifact): { input: EvaluationInput; userEmbeddings: Float32Array } {
  const split = SplitOfConfig.safeParse(record.config).data?.snapshot?.split;
  const options: Partial<SnapshotOptions> = split ? { split } : {};
  const snapshot = buildSnapshot(log, options);
  // Rows = the store's users (any user can be embedded by the user tower, known or not).
  const itemRow = rowsOf(a.itemIds);
  const rowOf = Int32Array.from(log.items, (item) => itemRow.get(item.externalId) ?? -1);
  const input = evaluationInput({ kind: 'holdout', snapshot, itemRows: { rowOf, numItems: a.itemIds.length } });
  const { trainItems } = snapshot;
  const dim = a.manifest.dim;
  const embedded = a.embedUsers(
    Array.from(input.users, (u) => ({
      userId: log.users[u].externalId,
      features: log.users[u].features,
      recentItems: Array.from(trainItems.rows.subarray(trainItems.offsets[u], trainItems.offsets[u + 1]), (i) => log.items[i].externalId),
    })),
  );
  const userEmbeddings = new Float32Array(input.numUsers * dim);
  input.users.forEach((u, p) => userEmbeddings.set(embedded.subarray(p * dim, (p + 1) * dim), u * dim));
  return { input, userEmbeddings };
}

/** Test file: every stored interaction excluded; users are the model's (served embeddings). */
async function testInputs(
  log: InteractionLog,
  testFile: string,
  minRating: number | undefined,
  a: LoadedArtifact,
): Promise<{ input: EvaluationInput; userEmbeddings: Float32Array }> {
  const test = (await readInteractionFiles([testFile])).log;
  const userRow = rowsOf(a.userIds);
  const itemRow = rowsOf(a.itemIds);
  const seen = pairsOnRows(idPairsOf(log), userRow, itemRow).pairs;
  const truth = pairsOnRows(idPairsOf(test), userRow, itemRow);
  const input = evaluationInput({
    kind: 'test',
    numUsers: a.userIds.length,
    numItems: a.itemIds.length,
    seen,
    truth: truth.pairs,
    minRating,
    dropped: truth.dropped,
  });
  return { input, userEmbeddings: a.userEmbeddings };
}

/**
 * `contrarec eval` without the printing: loads the model (active or `version`) and its artifact,
 * builds the truth and the items to exclude, and runs the full-ranking protocol of
 * `../shared/benchmarks/README.md` over the model's whole catalogue. With `testFile` the truth is
 * that file's interactions and everything already in the store is excluded (train + valid of the
 * benchmark ⇒ its published test protocol); test users the model does not know are counted and
 * skipped. Without it, the truth is the store's per-user chronological hold-out exactly as the
 * model's training snapshot drew it (data up to the model's `dataTo`), users are embedded from
 * their training history only, so the held-out items do not leak into the query, and a refit
 * version is scored by its hold-out run, the weights that never trained on them. With
 * `testMinRating`, only the test rows rated at least that are the truth (the real-noise protocol).
 *
 * @example
 *   const r = await evaluateStoredModel({ dbPath, split: 'test', ks: [10, 20], testFile: 'test.tsv' });
 */
export async function evaluateStoredModel(o: StoredEvalOptions): Promise<StoredEvaluation> {
  if (isMissingSqliteFile(o.dbPath, existsSync))
    throw new UserError(`no database at ${o.dbPath}: ingest data and train a model first (\`contrarec ingest\`, \`contrarec train\`)`);
  if (o.split === 'test' && o.testFile === undefined) {
    throw new UserError('--split test needs --test FILE: the store holds no test split (its models train on everything but the validation hold-out)');
  }
  if (o.testMinRating !== undefined && o.testFile === undefined)
    throw new UserError('--test-min-rating needs --test FILE: it filters the test file by its rating column');
  const store = await openStore(o.dbPath, { readonly: true });
  try {
    const record = await findModel(store, o.dbPath, o.version);
    const kernels = await selectBackend('auto'); // the towers in the artifact are TF.js tensors
    const a = await artifactOf(kernels, record, store, o.testFile === undefined);
    const until = o.testFile === undefined && record.dataTo !== null ? record.dataTo + 1 : undefined;
    const log = await readInteractionLog(store, { until });
    const { input, userEmbeddings } = o.testFile === undefined ? validInputs(log, record, a) : await testInputs(log, o.testFile, o.testMinRating, a);
    if (input.users.length === 0)
      throw new UserError(
        `nothing to evaluate: no ${o.testFile ?? 'validation'} interaction ${o.testMinRating === undefined ? '' : `rated at least ${o.testMinRating} (does the file have a rating column?) `}has a user and an item the model knows`,
      );
    const report = evaluateEmbeddings({ userEmbeddings, itemEmbeddings: a.itemEmbeddings, dim: a.manifest.dim }, input, o.ks, {
      matMul: scoresGemmOf(kernels),
    });
    return {
      ...report,
      version: record.version,
      split: o.testFile === undefined ? 'valid' : 'test',
      ...input.dropped,
      belowMinRatingRows: input.belowMinRating,
    };
  } finally {
    store.close();
  }
}
