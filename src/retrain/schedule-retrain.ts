import { spawn, type ChildProcess } from 'node:child_process';
import { Cron } from 'croner';
import { UserError } from '../common/user-error.js';

/** When to retrain: a cron pattern (5 fields, or 6 with seconds first) in a time zone. */
export interface RetrainSchedule {
  /** e.g. `0 3 * * *` (03:00 every day); `* * * * * *` fires every second. */
  readonly cron: string;
  /** IANA zone, e.g. `Europe/Paris` (default: the machine's). */
  readonly timezone?: string;
  /** The retrain process to start, argv[0] first (e.g. node, cli.js, `retrain`, `--db`, path). */
  readonly command: readonly string[];
}

/** A running schedule. */
export interface ScheduledRetrain {
  /** When the next retrain starts, or null. */
  nextRun(): Date | null;
  /** Stops the schedule and a retrain it is running (SIGTERM; its lease is taken over by the next retrain). */
  stop(): void;
}

/** What the schedule reports (the server's structured logger fits). */
export type ScheduleLog = (event: { readonly level: 'info' | 'warn' | 'error'; readonly msg: string } & Readonly<Record<string, unknown>>) => void;

/** Checks a pattern and zone up front, so a typo fails `serve` at start instead of at 3 a.m. */
function parseSchedule(cron: string, timezone: string | undefined): void {
  if (timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: timezone });
    } catch {
      throw new UserError(`--retrain-tz: unknown time zone "${timezone}" (use an IANA name such as Europe/Paris)`);
    }
  }
  try {
    new Cron(cron, { timezone, paused: true }).stop();
  } catch (err) {
    throw new UserError(`--retrain-cron: invalid pattern "${cron}": ${(err as Error).message}`);
  }
}

/** Runs the retrain command as a child process, forwarding its stderr lines; resolves with its exit code. */
function runChild(command: readonly string[], log: ScheduleLog, running: { child?: ChildProcess }): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    running.child = child;
    let pending = '';
    const forward = (chunk: Buffer): void => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') log({ level: 'info', msg: 'retrain output', pid: child.pid, line });
    };
    child.stdout!.on('data', forward);
    child.stderr!.on('data', forward);
    child.once('error', (err) => (log({ level: 'error', msg: 'retrain could not start', error: err.message }), resolve(-1)));
    child.once('close', (code) => ((running.child = undefined), resolve(code ?? -1)));
  });
}

/**
 * Schedules retrains with croner: at each tick the retrain runs as a separate process (training is
 * CPU-bound and synchronous; in its own process it never stalls the requests this one answers),
 * a tick while the previous retrain still runs is skipped (`protect`), and the database lease
 * makes retrains started elsewhere (system cron, another server) wait their turn. `onDone` runs
 * after each retrain, e.g. to swap the promoted model in at once.
 *
 * @example
 *   const s = scheduleRetrain({ cron: '0 3 * * *', timezone: 'Europe/Paris', command: [process.execPath, cli, 'retrain'] }, log);
 */
export function scheduleRetrain(schedule: RetrainSchedule, log: ScheduleLog, onDone: (exitCode: number) => void = () => {}): ScheduledRetrain {
  parseSchedule(schedule.cron, schedule.timezone);
  const running: { child?: ChildProcess } = {};
  const job = new Cron(schedule.cron, { timezone: schedule.timezone, protect: true, unref: true }, async () => {
    log({ level: 'info', msg: 'scheduled retrain starting', cron: schedule.cron });
    const code = await runChild(schedule.command, log, running);
    const outcome =
      code === 0 ? 'promoted' : code === 3 ? 'skipped: another retrain is in progress' : `failed (exit code ${code}); the active model keeps serving`;
    log({ level: code === 0 || code === 3 ? 'info' : 'warn', msg: `scheduled retrain ${outcome}`, exitCode: code, next: job.nextRun()?.toISOString() ?? null });
    onDone(code);
  });
  log({ level: 'info', msg: 'retrain scheduled', cron: schedule.cron, timezone: schedule.timezone ?? null, next: job.nextRun()?.toISOString() ?? null });
  return {
    nextRun: () => job.nextRun(),
    stop() {
      job.stop();
      running.child?.kill('SIGTERM');
    },
  };
}
