import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The compiled JS of a worker script that sits beside the module at `moduleUrl`
 * (`import.meta.url`): that folder when running compiled, and the same place under `dist/` when
 * running the TypeScript sources directly (tests), so `npm run build` must have run. Worker
 * threads load files, which the test runner's in-memory TypeScript transform does not provide.
 */
export function compiledWorkerScript(moduleUrl: string, script: string): string {
  const here = fileURLToPath(moduleUrl);
  if (here.endsWith('.js')) return path.join(path.dirname(here), script);
  const src = here.lastIndexOf(`${path.sep}src${path.sep}`);
  return path.join(here.slice(0, src), 'dist', path.dirname(here.slice(src + 1)), script);
}
