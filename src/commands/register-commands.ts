import type { Command } from 'commander';
import { registerInitCommand } from './init.js';
import { registerIngestCommand } from './ingest.js';
import { registerStatsCommand } from './stats.js';
import { registerIndexCommand } from './index-command.js';
import { registerServeCommand } from './serve.js';
import { registerGenerateCommand } from './generate.js';
import { registerTrainCommand } from './train.js';
import { registerDemoCommand } from './demo.js';
import { registerEvalCommand } from './eval.js';
import { registerExperimentCommand } from './experiment.js';
import { registerRetrainCommand } from './retrain.js';
import { registerModelsCommand } from './models.js';
import { registerItemsCommand } from './items.js';

/**
 * Adds every sub-command to the program. Each command lives in its own file under
 * `src/commands/` and exports `register<Name>Command(program)`.
 */
export function registerCommands(program: Command): void {
  registerDemoCommand(program);
  registerInitCommand(program);
  registerIngestCommand(program);
  registerStatsCommand(program);
  registerIndexCommand(program);
  registerServeCommand(program);
  registerGenerateCommand(program);
  registerTrainCommand(program);
  registerEvalCommand(program);
  registerExperimentCommand(program);
  registerRetrainCommand(program);
  registerModelsCommand(program);
  registerItemsCommand(program);
}
