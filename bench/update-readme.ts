/**
 * `npm run bench:readme`: rewrites the README's benchmark table from the newest result of each
 * benchmark in `bench/results/`, and the scale page `docs/scale.md` with its chart from every
 * `bench:scale` result (each through a temporary file renamed into place).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { README_PATH as readme, readBenchResults, SCALE_DOC_PATHS } from './bench-results.js';
import { renderBenchmarkTable, withBenchmarkTable } from './readme-benchmarks.js';
import { renderScaleChart, renderScaleDoc, scalePoints } from './scale-report.js';

function replaceFile(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

replaceFile(readme, withBenchmarkTable(readFileSync(readme, 'utf8'), renderBenchmarkTable()));
console.log(`${path.relative(process.cwd(), readme)}: benchmark table regenerated from bench/results/`);
const points = scalePoints(readBenchResults('scale'));
if (points.length > 0) {
  replaceFile(SCALE_DOC_PATHS.page, renderScaleDoc(points));
  replaceFile(SCALE_DOC_PATHS.chart, await renderScaleChart(points));
  console.log(`${path.relative(process.cwd(), SCALE_DOC_PATHS.page)} and its chart: regenerated from the bench:scale results`);
}
