#!/usr/bin/env node
/**
 * `contrarec`: one command with a sub-command per stage.
 *
 * @example
 *   contrarec demo                      # synthetic data → ingest → stats (→ train → index → serve)
 *   contrarec ingest interactions logs.csv --db ./data/contrarec.db
 *   contrarec stats
 */
import { Command, CommanderError } from 'commander';
import { UserError } from './common/user-error.js';
import { registerCommands } from './commands/register-commands.js';

const program = new Command('contrarec')
  .description('Contrastive two-tower recommendations: ingest logs, train, index, serve.')
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof UserError) {
    process.stderr.write(`contrarec: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`contrarec: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
}
