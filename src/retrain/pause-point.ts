/** Environment variable naming a pipeline stage at which a retrain stops for a minute (fault-injection tests). */
export const PAUSE_ENV_VAR = 'CONTRAREC_RETRAIN_PAUSE';

/** Stages a retrain can be paused at: after the first training epoch, and between index build and activation. */
export type PauseStage = 'training' | 'promote';

/**
 * When `$CONTRAREC_RETRAIN_PAUSE` names `stage`, says so on `log` and blocks this thread for 60 s
 * (synchronously, so it also works inside the training loop). The crash tests use it to `kill -9`
 * a retrain at a known point instead of racing it; unset, it does nothing.
 */
export function pausePoint(stage: PauseStage, log: (line: string) => void): void {
  if (process.env[PAUSE_ENV_VAR] !== stage) return;
  log(`retrain: paused at ${stage} ($${PAUSE_ENV_VAR})`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}
