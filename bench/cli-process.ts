/**
 * The contrarec CLI as a child process, as a deployment runs it, for the benchmarks that time a
 * whole command or a stage inside one: each output line with the second it arrived, and the
 * child's own peak RSS (through `cli-with-usage.js`, read when it has exited).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const CLI_WITH_USAGE = path.join(import.meta.dirname, 'cli-with-usage.js');

/** One line of a child's stdout or stderr, and when it arrived (seconds after the start). */
export interface TimedLine {
  readonly at: number;
  readonly text: string;
}

/** A finished command: exit code, wall seconds, its lines, and its peak RSS in MiB (NaN if unknown). */
export interface CliRun {
  readonly code: number;
  readonly seconds: number;
  readonly lines: readonly TimedLine[];
  readonly peakRssMiB: number;
}

/** A running command: the child, its lines so far, and a promise of its end. */
export interface CliChild {
  readonly child: ChildProcess;
  readonly lines: TimedLine[];
  readonly done: Promise<CliRun>;
}

let usageFiles = 0;

/** Peak RSS (MiB) that `cli-with-usage.js` wrote at the child's exit; NaN when it wrote none. */
function peakRssOf(usageFile: string): number {
  try {
    const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRSS?: number };
    return usage.maxRSS === undefined ? Number.NaN : Number((usage.maxRSS / 1024).toFixed(1));
  } catch {
    return Number.NaN;
  } finally {
    rmSync(usageFile, { force: true });
  }
}

/** Starts `contrarec …args`; `onLine` sees each line as it arrives. */
export function startCli(args: readonly string[], opts: { env?: NodeJS.ProcessEnv; onLine?: (line: TimedLine) => void } = {}): CliChild {
  const usageFile = path.join(tmpdir(), `contrarec-usage-${process.pid}-${usageFiles++}.json`);
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI_WITH_USAGE, usageFile, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
  const lines: TimedLine[] = [];
  const reader = (): ((chunk: Buffer) => void) => {
    let partial = '';
    return (chunk) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts) {
        const line = { at: (performance.now() - t0) / 1000, text };
        lines.push(line);
        opts.onLine?.(line);
      }
    };
  };
  child.stdout!.on('data', reader());
  child.stderr!.on('data', reader());
  const done = new Promise<CliRun>((resolve) =>
    child.once('exit', (code) => resolve({ code: code ?? -1, seconds: (performance.now() - t0) / 1000, lines, peakRssMiB: peakRssOf(usageFile) })),
  );
  return { child, lines, done };
}

/** Runs `contrarec …args` to the end; throws with its last lines when it fails. */
export async function runCli(args: readonly string[]): Promise<CliRun> {
  const run = await startCli(args).done;
  if (run.code !== 0) {
    const tail = run.lines.slice(-5).map((l) => l.text);
    throw new Error(`contrarec ${args.join(' ')} exited with ${run.code}:\n${tail.join('\n')}`);
  }
  return run;
}

/** When the first line matching `pattern` arrived (seconds after the start), or undefined. */
export function lineAt(lines: readonly TimedLine[], pattern: RegExp): TimedLine | undefined {
  return lines.find((l) => pattern.test(l.text));
}
