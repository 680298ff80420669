import type { Command } from 'commander';

/**
 * Adds every sub-command to the program. Each command lives in its own file under
 * `src/commands/` and exports `register<Name>Command(program)`.
 */
export function registerCommands(program: Command): void {
  void program;
}
