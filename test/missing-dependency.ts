/**
 * Whether tests must skip for want of `what` (the native addon, Chromium, the built CLI,
 * ../shared): on a developer's machine they skip with a warning that says how to get it; under
 * CI=true a missing dependency throws, so the file fails instead of passing unnoticed.
 *
 * @example
 *   describe.skipIf(skipWithout('Chromium', !existsSync('/usr/bin/chromium'), 'install Debian chromium'))('console', () => { … });
 */
export function skipWithout(what: string, missing: boolean, hint: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!missing) return false;
  if (env.CI === 'true') throw new Error(`CI=true and ${what} is missing (${hint}): its tests must not be skipped in CI`);
  console.warn(`skipping the tests that need ${what}: it is missing (${hint})`);
  return true;
}
