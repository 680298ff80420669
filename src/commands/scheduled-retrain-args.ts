import type { Command } from 'commander';
import { UserError } from '../common/user-error.js';

/**
 * The flags `serve --retrain-args` adds to each scheduled `contrarec retrain`, checked when the
 * server starts rather than at the first scheduled run: every `--flag` must be one of retrain's
 * options. `--db` stays the server's own. Values are plain words separated by spaces (no quoting:
 * no retrain flag takes a value with a space).
 *
 * @example
 *   scheduledRetrainArgs('--tolerance 0.02 --epochs 3', retrainCommand)  // ['--tolerance', '0.02', '--epochs', '3']
 */
export function scheduledRetrainArgs(text: string | undefined, retrain: Command): string[] {
  if (text === undefined) return [];
  const args = text
    .trim()
    .split(/\s+/)
    .filter((a) => a !== '');
  for (const arg of args) {
    if (/["'\\]/.test(arg)) throw new UserError(`--retrain-args: quoting is not supported (in ${arg}); give flags and plain values separated by spaces`);
    if (!arg.startsWith('--')) continue;
    const flag = arg.split('=')[0];
    if (flag === '--db') throw new UserError("--retrain-args: a scheduled retrain always uses the server's database (serve --db)");
    if (!retrain.options.some((o) => o.long === flag))
      throw new UserError(`--retrain-args: contrarec retrain has no option ${flag} (see contrarec retrain --help)`);
  }
  return args;
}
