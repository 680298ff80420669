import path from 'node:path';
import type { Command } from 'commander';
import { DB_OPTION_HELP, resolveDbPath } from '../common/paths.js';
import { UserError } from '../common/user-error.js';
import { DEFAULT_HNSW_PARAMS, type HnswParams } from '../index/hnsw-params.js';
import { positiveInt } from './flag-parsers.js';

interface IndexFlags {
  readonly model?: string;
  readonly db?: string;
  readonly artifact?: string;
  readonly m?: number;
  readonly efConstruction?: number;
  readonly ef?: number;
}

/**
 * `contrarec index`: builds the HNSW index of a model's item embeddings and saves it beside the
 * artifact, where `contrarec serve` loads it (and, for a PostgreSQL database, stores it there for every replica).
 *
 * @example
 *   contrarec index                       # the active model of ./data/contrarec.db
 *   contrarec index --model v3 --ef 400
 *   contrarec index --artifact ./data/models/v3
 */
export function registerIndexCommand(program: Command): void {
  program
    .command('index')
    .description('Build the HNSW index of a model’s item embeddings (saved beside the model artifact).')
    .option('--model <version>', 'model version (default: the active model)')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--artifact <dir>', 'index this artifact folder directly, without the model registry')
    .option('--m <n>', `HNSW links per node (default: ${DEFAULT_HNSW_PARAMS.m})`, positiveInt)
    .option('--ef-construction <n>', `HNSW build candidate list (default: ${DEFAULT_HNSW_PARAMS.efConstruction})`, positiveInt)
    .option('--ef <n>', `HNSW search candidate list (default: ${DEFAULT_HNSW_PARAMS.ef})`, positiveInt)
    .action(async (flags: IndexFlags) => {
      const { buildIndexFromArtifact, HNSW_FILE, publishIndex, resolveModelArtifact } = await import('../index/index.js');
      if (flags.artifact && flags.model) throw new UserError('give either --model or --artifact, not both');
      const dbPath = resolveDbPath(flags.db);
      const registered = flags.artifact ? undefined : await resolveModelArtifact(dbPath, flags.model);
      const dir = registered?.artifactDir ?? path.resolve(flags.artifact!);
      const params: Partial<HnswParams> = {
        ...(flags.m !== undefined && { m: flags.m }),
        ...(flags.efConstruction !== undefined && { efConstruction: flags.efConstruction }),
        ...(flags.ef !== undefined && { ef: flags.ef }),
      };
      let built;
      try {
        built = await buildIndexFromArtifact(dir, params);
        if (registered !== undefined) await publishIndex(dbPath, registered.version, dir);
      } catch (err) {
        throw new UserError((err as Error).message, 1);
      }
      process.stdout.write(
        `indexed ${built.numItems} items (${built.dim}-d) of model ${built.version} in ${(built.buildMs / 1000).toFixed(2)} s → ${path.join(dir, HNSW_FILE)}\n`,
      );
    });
}
