import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { HttpError } from '../http-error.js';

/** The package root: the nearest folder above this file with a package.json (from src/ or dist/src/). */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
}

/** Where the console's files are: the page and styles (`console/public`) and the compiled scripts (`dist/console`). */
export function consoleDirs(root = packageRoot()): { readonly publicDir: string; readonly scriptDir: string } {
  return { publicDir: path.join(root, 'console', 'public'), scriptDir: path.join(root, 'dist', 'console') };
}

/**
 * The web console's files: the page at `/` (static files only, no CDN, nothing fetched from
 * elsewhere; it reads the JSON API) and, with `--reports`, that folder read-only under
 * `/reports/` so the console can embed a report. Answers 503 with how to build it when the
 * scripts were not compiled. Files, not answers: these stay express middleware, outside the
 * route table.
 */
export function consoleStaticRoutes(reportsDir: string | undefined): Router {
  const { publicDir, scriptDir } = consoleDirs();
  const router = Router();
  if (reportsDir !== undefined) router.use('/reports', express.static(reportsDir, { dotfiles: 'ignore', index: false, fallthrough: true }));
  router.get('/', (_req, _res, next) => {
    if (!existsSync(path.join(scriptDir, 'main.js')))
      throw new HttpError(503, 'console_not_built', `the console is not built (${scriptDir} is missing): run \`npm run build\``);
    next();
  });
  router.use(express.static(publicDir, { index: 'index.html', fallthrough: true }));
  router.use(express.static(scriptDir, { index: false, fallthrough: true }));
  return router;
}
