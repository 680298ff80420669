import path from 'node:path';
import type { Command } from 'commander';
import { generateSynthetic } from '../data/synthetic/generate-synthetic.js';
import { parseSyntheticConfig } from '../data/synthetic/synthetic-config.js';
import { writeSynthetic } from '../data/synthetic/write-synthetic.js';

/** Interaction counts from which progress is reported on stderr. */
const PROGRESS_FROM = 100_000;

/**
 * `contrarec generate --out DIR [--users N] [--items M] [--interactions K] [--noise F]
 * [--seed S] [--topics T]`: writes a synthetic data set with planted topics
 * (`interactions.csv`, `items.csv`, `users.csv`, and the noise ground truth `noise.csv`).
 * The same flags give byte-identical files. Progress goes to stderr for large K.
 *
 * @example
 *   contrarec generate --out fixtures/synthetic --users 300 --items 200 --interactions 6000 \
 *     --noise 0.1 --seed 7 --topics 8
 */
export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('write a synthetic data set with planted topics, long-tailed popularity and marked noise')
    .requiredOption('--out <dir>', 'output folder (created if missing)')
    .option('--users <n>', 'number of users', '1000')
    .option('--items <n>', 'number of items', '500')
    .option('--interactions <n>', 'total interactions, noise included', '20000')
    .option('--noise <f>', 'fraction of interactions that are uniformly random noise', '0.1')
    .option('--seed <s>', 'random seed', '1')
    .option('--topics <t>', 'number of latent topics', '8')
    .action((opts: Record<string, string>) => {
      const config = parseSyntheticConfig(opts);
      const verbose = config.interactions >= PROGRESS_FROM;
      const report = (stage: string) => {
        let lastTenth = -1;
        return (done: number, total: number) => {
          const tenth = Math.floor((10 * done) / total);
          if (!verbose || tenth === lastTenth) return;
          lastTenth = tenth;
          process.stderr.write(`generate: ${stage} ${done}/${total} interactions (${tenth * 10}%)\n`);
        };
      };
      const data = generateSynthetic(config, report('drawing'));
      const writing = report('writing');
      writeSynthetic(opts.out, data, (rows) => writing(rows, config.interactions));
      const noise = data.interactions.noise.reduce((s, x) => s + x, 0);
      process.stdout.write(
        `wrote ${path.resolve(opts.out)}: ${config.users} users, ${config.items} items, ` +
          `${config.interactions} interactions (${noise} noise), ${config.topics} topics, seed ${config.seed}\n`,
      );
    });
}
