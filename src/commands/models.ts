import type { Command } from 'commander';
import { isoOrNull } from '../common/iso-time.js';
import { DB_OPTION_HELP } from '../common/paths.js';
import type { ModelRecord } from '../store/index.js';
import { withStore } from './with-store.js';

const day = (unixSeconds: number | null): string => isoOrNull(unixSeconds)?.slice(0, 16).replace('T', ' ') ?? '-';

/** The parts of a model's metrics the table reads (written by runTraining and the retrain gate); anything may be missing. */
interface ListedMetrics {
  readonly gate?: {
    readonly k?: number;
    readonly candidate?: { readonly recall?: number };
    readonly mostPop?: { readonly recall?: number };
    readonly versusActive?: { readonly difference?: number; readonly standardError?: number };
  };
  readonly 'recall@20'?: number | null;
  readonly mostPop?: { readonly 'recall@20'?: number } | null;
}

const f4 = (x: number | null | undefined): string => (typeof x === 'number' ? x.toFixed(4) : '-');

/** Recall the row shows: the gate's hold-out recall when the model went through a retrain, else the trainer's validation recall@20. */
function recallOf(metrics: ListedMetrics): string {
  return f4(metrics.gate?.candidate?.recall ?? metrics['recall@20']);
}

/**
 * The most-popular ranking's recall@20 beside it, from the same evaluation as RECALL when that is
 * at K = 20 (a retrain gate scored at another K falls back to the trainer's validation figure),
 * so that a model below the popularity floor shows in the list.
 */
function mostPopOf(metrics: ListedMetrics): string {
  const gate = metrics.gate?.k === 20 ? metrics.gate.mostPop?.recall : undefined;
  return f4(gate ?? metrics.mostPop?.['recall@20']);
}

/**
 * The gate's candidate − active recall and the standard error of that paired difference (the
 * noise the gate allowed for), when the model went through a retrain with an active model.
 */
function versusActiveOf(metrics: ListedMetrics): string {
  const d = metrics.gate?.versusActive;
  if (typeof d?.difference !== 'number' || typeof d.standardError !== 'number') return '-';
  return `${d.difference >= 0 ? '+' : ''}${d.difference.toFixed(4)} ± ${d.standardError.toFixed(4)}`;
}

/** The table `contrarec models list` prints: newest first, one model a line, failures with their reason. */
export function formatModelList(models: readonly ModelRecord[]): string {
  const rows = [['VERSION', 'STATUS', 'CREATED (UTC)', 'DATA UNTIL', 'RECALL', 'MOST-POP@20', 'VS ACTIVE ± SE', 'REASON']];
  for (const m of models) {
    const metrics = (typeof m.metrics === 'object' && m.metrics !== null ? m.metrics : {}) as ListedMetrics;
    rows.push([m.version, m.status, day(m.createdAt), day(m.dataTo), recallOf(metrics), mostPopOf(metrics), versusActiveOf(metrics), m.reason ?? '']);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * `contrarec models list | promote VERSION | rollback`: the model registry. A running server
 * follows promote and rollback within its watch interval, at once on PostgreSQL (hot swap).
 *
 * @example
 *   contrarec models list
 *   contrarec models rollback          # the previous good version is active again
 *   contrarec models promote 20260301T030000123Z
 */
export function registerModelsCommand(program: Command): void {
  const models = program.command('models').description('list, promote and roll back model versions');
  models
    .command('list')
    .description(
      "every model version, newest first, with status, hold-out recall beside the most-popular ranking's, the retrain gate's difference from the active model ± its standard error, and failure reason",
    )
    .option('--db <path>', DB_OPTION_HELP)
    .option('--json', 'print JSON')
    .action((o: { db?: string; json?: boolean }) =>
      withStore(o.db, async (store) => {
        const { listModels } = await import('../store/index.js');
        const list = await listModels(store);
        process.stdout.write(
          o.json === true
            ? `${JSON.stringify(list, null, 2)}\n`
            : list.length === 0
              ? 'no models yet: run `contrarec train` or `contrarec retrain`\n'
              : `${formatModelList(list)}\n`,
        );
      }),
    );
  models
    .command('promote <version>')
    .description('make this version active (its index is built first if missing)')
    .option('--db <path>', DB_OPTION_HELP)
    .action((version: string, o: { db?: string }) =>
      withStore(o.db, async (store) => {
        const { promoteVersion } = await import('../retrain/promote-version.js');
        const m = await promoteVersion(store, version);
        process.stdout.write(`model ${m.version} is active\n`);
      }),
    );
  models
    .command('rollback')
    .description('make the previous good version active again; the current one is retired')
    .option('--db <path>', DB_OPTION_HELP)
    .action((o: { db?: string }) =>
      withStore(o.db, async (store) => {
        const { rollbackModel } = await import('../retrain/promote-version.js');
        const r = await rollbackModel(store);
        process.stdout.write(`rolled back: ${r.to} is active${r.from ? `, ${r.from} retired` : ''}\n`);
      }),
    );
}
