/**
 * `npm run bench:readme`: rewrites the README's benchmark table from the newest result of each
 * benchmark in `bench/results/` (through a temporary file renamed into place).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { README_PATH as readme } from './bench-results.js';
import { renderBenchmarkTable, withBenchmarkTable } from './readme-benchmarks.js';

const updated = withBenchmarkTable(readFileSync(readme, 'utf8'), renderBenchmarkTable());
writeFileSync(`${readme}.tmp`, updated);
renameSync(`${readme}.tmp`, readme);
console.log(`${path.relative(process.cwd(), readme)}: benchmark table regenerated from bench/results/`);
