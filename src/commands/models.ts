import type { Command } from 'commander';
import { resolveDbPath } from '../common/paths.js';
import type { ModelRecord, Store } from '../store/index.js';

const day = (unixSeconds: number | null): string => (unixSeconds === null ? '-' : new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' '));

/** Recall the row shows: the gate's hold-out recall when the model went through a retrain, else the trainer's validation recall@20. */
function recallOf(m: ModelRecord): string {
  const metrics = (m.metrics ?? {}) as { gate?: { candidate?: { recall?: number } }; recall20?: number | null };
  const r = metrics.gate?.candidate?.recall ?? metrics.recall20;
  return typeof r === 'number' ? r.toFixed(4) : '-';
}

/** The table `contrarec models list` prints: newest first, one model a line, failures with their reason. */
export function formatModelList(models: readonly ModelRecord[]): string {
  const rows = [['VERSION', 'STATUS', 'CREATED (UTC)', 'DATA UNTIL', 'RECALL', 'REASON']];
  for (const m of models) rows.push([m.version, m.status, day(m.createdAt), day(m.dataTo), recallOf(m), m.reason ?? '']);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n');
}

async function withStore<T>(db: string | undefined, fn: (store: Store) => Promise<T>): Promise<T> {
  const { openStore } = await import('../store/index.js');
  const store = await openStore(resolveDbPath(db));
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/**
 * `contrarec models list | promote VERSION | rollback`: the model registry. A running server
 * follows promote and rollback within its watch interval (hot swap).
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
    .description('every model version, newest first, with status, hold-out recall and failure reason')
    .option('--db <path>', 'SQLite file (default $CONTRAREC_DB or ./data/contrarec.db)')
    .option('--json', 'print JSON')
    .action((o: { db?: string; json?: boolean }) =>
      withStore(o.db, async (store) => {
        const { listModels } = await import('../store/index.js');
        const list = await listModels(store);
        process.stdout.write(o.json === true ? `${JSON.stringify(list, null, 2)}\n` : list.length === 0 ? 'no models yet: run `contrarec train` or `contrarec retrain`\n' : `${formatModelList(list)}\n`);
      }),
    );
  models
    .command('promote <version>')
    .description('make this version active (its index is built first if missing)')
    .option('--db <path>', 'SQLite file')
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
    .option('--db <path>', 'SQLite file')
    .action((o: { db?: string }) =>
      withStore(o.db, async (store) => {
        const { rollbackModel } = await import('../retrain/promote-version.js');
        const r = await rollbackModel(store);
        process.stdout.write(`rolled back: ${r.to} is active${r.from ? `, ${r.from} retired` : ''}\n`);
      }),
    );
}
