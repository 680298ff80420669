import { describe, expect, it } from 'vitest';
import { scheduleRetrain, type ScheduleLog } from '../../src/retrain/schedule-retrain.js';

const collect = (): { log: ScheduleLog; events: Parameters<ScheduleLog>[0][] } => {
  const events: Parameters<ScheduleLog>[0][] = [];
  return { log: (e) => events.push(e), events };
};

describe('scheduleRetrain', () => {
  it('runs the command as a child process at each tick and reports its exit code and output', async () => {
    const { log, events } = collect();
    const codes: number[] = [];
    const command = [process.execPath, '-e', 'console.error("retrained v9"); process.exit(1)'];
    const s = scheduleRetrain({ cron: '* * * * * *', timezone: 'Europe/Paris', command }, log, (code) => codes.push(code));
    try {
      await new Promise<void>((resolve) => {
        const t = setInterval(() => codes.length > 0 && (clearInterval(t), resolve()), 50);
      });
    } finally {
      s.stop();
    }
    expect(codes[0]).toBe(1);
    expect(events[0]).toMatchObject({ level: 'info', msg: 'retrain scheduled', cron: '* * * * * *', timezone: 'Europe/Paris' });
    expect(events).toContainEqual(expect.objectContaining({ msg: 'retrain output', line: 'retrained v9' }));
    expect(events).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'scheduled retrain failed (exit code 1); the active model keeps serving', exitCode: 1 }),
    );
    expect(s.nextRun()).toBeNull();
  });

  it('rejects a bad pattern or time zone up front, naming the flag', () => {
    const { log } = collect();
    expect(() => scheduleRetrain({ cron: '0 3 * *', command: ['true'] }, log)).toThrow(/^--retrain-cron: invalid pattern "0 3 \* \*": /);
    expect(() => scheduleRetrain({ cron: '0 3 * * *', timezone: 'Mars/Olympus', command: ['true'] }, log)).toThrow(
      '--retrain-tz: unknown time zone "Mars/Olympus" (use an IANA name such as Europe/Paris)',
    );
  });
});
