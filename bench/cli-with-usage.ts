/**
 * Runs the contrarec CLI in this process and, at exit, writes the process's resource usage (peak
 * RSS, CPU) as JSON to the file named first, so that a benchmark measures each command's own peak
 * memory:
 *
 *   node dist/bench/cli-with-usage.js usage.json train --db x.db
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const [usageFile, ...args] = process.argv.slice(2);
process.on('exit', () => writeFileSync(usageFile, JSON.stringify(process.resourceUsage())));
process.argv = [process.argv[0], path.resolve(import.meta.dirname, '../src/cli.js'), ...args];
await import('../src/cli.js');
