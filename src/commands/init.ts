import type { Command } from 'commander';
import { DB_OPTION_HELP, resolveDbPath } from '../common/paths.js';

/**
 * `contrarec init [--db PATH]`: creates the database (and its directory) and applies every
 * pending migration. Other commands migrate on their own; this one is for setting up a file.
 *
 * @example
 *   contrarec init --db ./data/contrarec.db
 */
export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('create the database and apply pending migrations')
    .option('--db <path>', DB_OPTION_HELP)
    .action(async (opts: { db?: string }) => {
      const { openStore } = await import('../store/index.js');
      const store = await openStore(resolveDbPath(opts.db));
      try {
        const applied = store.appliedMigrations;
        process.stdout.write(applied.length === 0 ? `${store.path}: up to date\n` : `${store.path}: applied ${applied.join(', ')}\n`);
      } finally {
        store.close();
      }
    });
}
