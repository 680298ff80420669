import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerRetrainCommand } from '../../src/commands/retrain.js';
import { scheduledRetrainArgs } from '../../src/commands/scheduled-retrain-args.js';

// The real retrain command, as `contrarec` registers it: its options are what the flags are checked against.
const program = new Command();
registerRetrainCommand(program);
const retrain = program.commands.find((c) => c.name() === 'retrain')!;

describe('scheduledRetrainArgs', () => {
  it('splits the retrain flags and their values on spaces, and none when there are none', () => {
    expect(scheduledRetrainArgs('  --tolerance 0.02   --epochs 3 --no-warm-start --budget=30m --tune ', retrain)).toEqual([
      '--tolerance',
      '0.02',
      '--epochs',
      '3',
      '--no-warm-start',
      '--budget=30m',
      '--tune',
    ]);
    expect(scheduledRetrainArgs(undefined, retrain)).toEqual([]);
    expect(scheduledRetrainArgs('', retrain)).toEqual([]);
  });

  it("refuses a flag retrain does not have, --db (always the server's), and quoting, naming what is wrong", () => {
    expect(() => scheduledRetrainArgs('--epochs 3 --tolerence 0.1', retrain)).toThrow(
      '--retrain-args: contrarec retrain has no option --tolerence (see contrarec retrain --help)',
    );
    expect(() => scheduledRetrainArgs('--db other.db', retrain)).toThrow("--retrain-args: a scheduled retrain always uses the server's database (serve --db)");
    expect(() => scheduledRetrainArgs('--budget "30m"', retrain)).toThrow('--retrain-args: quoting is not supported (in "30m")');
  });
});
