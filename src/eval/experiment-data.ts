import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../common/user-error.js';
import type { InteractionLog } from '../store/index.js';
import { readInteractionFiles, type EntityFiles } from './read-interaction-files.js';

/** A benchmark folder loaded once: every row of every split file, and which file each row is in. */
export interface ExperimentData {
  /** Users, items (with features) and the union of all split rows, sorted by (ts, user, item). */
  readonly log: InteractionLog;
  /** 1 where the row is in train.tsv / valid.tsv / test.tsv. */
  readonly train: Uint8Array;
  readonly valid: Uint8Array;
  readonly test: Uint8Array;
  /** Published noisy training copies: noise ratio (0.1 for train_noise10.tsv) → rows of that file. */
  readonly publishedNoise: ReadonlyMap<number, Uint8Array>;
}

const NOISE_FILE = /^train_noise(\d+)\.tsv$/;

/**
 * Loads a benchmark folder laid out like `../shared/benchmarks/ml-100k` (train.tsv, valid.tsv,
 * test.tsv, optionally train_noiseR.tsv) through the real ingest path: all files together, with
 * the optional user and item files, into one temporary store (one vocabulary for everything),
 * then each file alone to learn which rows it holds, keyed by (user, item, timestamp). Nothing is
 * copied anywhere lasting; the temporary stores are deleted.
 */
export async function loadExperimentData(dir: string, entities: EntityFiles = {}): Promise<ExperimentData> {
  const missing = ['train.tsv', 'valid.tsv', 'test.tsv'].filter((f) => !existsSync(path.join(dir, f)));
  if (missing.length > 0) throw new UserError(`--dataset ${dir}: missing ${missing.join(', ')} (expected train.tsv, valid.tsv and test.tsv)`);
  const noiseFiles = readdirSync(dir)
    .filter((f) => NOISE_FILE.test(f))
    .sort();
  const files = ['train.tsv', 'valid.tsv', 'test.tsv', ...noiseFiles];
  const { log } = await readInteractionFiles(
    files.map((f) => path.join(dir, f)),
    entities,
  );
  const key = (l: InteractionLog, k: number): string =>
    `${l.users[l.interactions.user[k]].externalId}\t${l.items[l.interactions.item[k]].externalId}\t${l.interactions.ts[k]}`;
  const maskOf = async (file: string): Promise<Uint8Array> => {
    const part = (await readInteractionFiles([path.join(dir, file)])).log;
    const keys = new Set<string>();
    for (let k = 0; k < part.interactions.user.length; k++) keys.add(key(part, k));
    return Uint8Array.from(log.interactions.user, (_, k) => (keys.has(key(log, k)) ? 1 : 0));
  };
  const publishedNoise = new Map<number, Uint8Array>();
  for (const f of noiseFiles) publishedNoise.set(Number(NOISE_FILE.exec(f)![1]) / 100, await maskOf(f));
  return { log, train: await maskOf('train.tsv'), valid: await maskOf('valid.tsv'), test: await maskOf('test.tsv'), publishedNoise };
}
