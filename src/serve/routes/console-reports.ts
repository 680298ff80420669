import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defineRoute, type Route, type RouteGuard } from '../route.js';

/** One experiment output folder under `--reports` (what `contrarec experiment --out` wrote). */
export interface ReportEntry {
  /** Folder name relative to the reports folder ("." for the folder itself). */
  readonly name: string;
  /** Where the console opens it, e.g. `/reports/noise-sweep/report.html`. */
  readonly url: string;
  readonly modifiedAt: string;
  /** Which of results.json, results.md, report.html exist there. */
  readonly files: readonly string[];
}

const REPORT_FILES = ['report.html', 'results.md', 'results.json'];

/** The folder itself and its direct sub-folders that hold a report.html, newest first. */
export function listReports(dir: string): ReportEntry[] {
  if (!existsSync(dir)) return [];
  const candidates = [
    '.',
    ...readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name),
  ];
  return candidates
    .filter((name) => existsSync(path.join(dir, name, 'report.html')))
    .map((name) => ({ name, mtime: statSync(path.join(dir, name, 'report.html')).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime || a.name.localeCompare(b.name))
    .map(({ name, mtime }) => ({
      name,
      url: name === '.' ? '/reports/report.html' : `/reports/${encodeURIComponent(name)}/report.html`,
      modifiedAt: new Date(mtime).toISOString(),
      files: REPORT_FILES.filter((f) => existsSync(path.join(dir, name, f))),
    }));
}

/**
 * `GET /console/api/reports`: the experiment reports under the `--reports` folder, newest first
 * (an empty list, with `configured: false`, when the server has none). The files themselves are
 * served by `consoleStaticRoutes` under `/reports/`.
 */
export function consoleReportsRoute(reportsDir: string | undefined, guards: readonly RouteGuard[]): Route {
  return defineRoute({
    method: 'GET',
    path: '/console/api/reports',
    summary: 'The experiment reports under the `serve --reports` folder, newest first',
    guards,
    auth: 'read',
    response: z.object({
      configured: z.boolean(),
      reports: z.array(z.object({ name: z.string(), url: z.string(), modifiedAt: z.string(), files: z.array(z.string()) })),
    }),
    answer: () => ({ configured: reportsDir !== undefined, reports: reportsDir === undefined ? [] : listReports(reportsDir) }),
  });
}
