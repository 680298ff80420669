/**
 * `npm run bench:eval`: wall time of `evaluateFullRanking` (full ranking, top-K by partial
 * selection) on random unit embeddings, at the ml-100k shape (943 users × 1,682 items) and at
 * a large catalogue (1,000 sampled users × 100,000 items), d = 64. Prints a table.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createRng, type Rng } from '../src/common/rng.js';
import type { UserItemLists } from '../src/metrics/item-set.js';
import { evaluateFullRanking } from '../src/metrics/evaluate-full-ranking.js';
import { randomUnitVectors } from '../src/index/random-unit-vectors.js';
import { reportBenchTable, type BenchCell } from './bench-results.js';

function randomLists(rows: number, perRow: number, numItems: number, rng: Rng): UserItemLists {
  const offsets = new Int32Array(rows + 1);
  const items = new Int32Array(rows * perRow);
  for (let r = 0; r < rows; r++) {
    const seen = new Set<number>();
    while (seen.size < perRow) seen.add(rng.int(numItems));
    items.set(
      [...seen].sort((a, b) => a - b),
      r * perRow,
    );
    offsets[r + 1] = (r + 1) * perRow;
  }
  return { offsets, items };
}

function bench(name: string, numUsers: number, numItems: number, dim: number, repeats: number): BenchCell[] {
  const rng = createRng(1);
  const input = {
    userEmbeddings: randomUnitVectors(numUsers, dim, rng),
    itemEmbeddings: randomUnitVectors(numItems, dim, rng),
    dim,
    users: Int32Array.from({ length: numUsers }, (_, u) => u),
    exclude: randomLists(numUsers, 85, numItems, rng),
    truth: randomLists(numUsers, 10, numItems, rng),
    ks: [10, 20, 50],
    itemPopularity: Float64Array.from({ length: numItems }, (_, i) => 1 / (i + 1)),
  };
  evaluateFullRanking(input); // warm-up (JIT)
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    evaluateFullRanking(input);
    const c = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const wall = median(times);
  const macs = (numUsers * numItems * dim) / (wall / 1000) / 1e9;
  return [
    name,
    numUsers,
    numItems,
    dim,
    Number(wall.toFixed(1)),
    Number(median(cpu).toFixed(1)),
    Math.round(numUsers / (wall / 1000)),
    Number(macs.toFixed(2)),
  ];
}

// CPU ms (this process's user + system time) is less sensitive than wall ms to other jobs
// sharing the machine; on an idle machine the two agree.
const loadAtStart = os.loadavg()[0];
const rows = [bench('ml-100k shape', 943, 1682, 64, 7), bench('large catalogue', 1000, 100_000, 64, 3)];
reportBenchTable('eval', {
  title: `full-ranking evaluation (load average ${loadAtStart.toFixed(2)} on ${os.cpus().length} CPUs)`,
  columns: ['case', 'users', 'items', 'dim', 'median wall ms', 'median CPU ms', 'users/s', 'GMAC/s'],
  rows,
});
