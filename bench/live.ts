/**
 * `npm run bench:live`: what live answers buy, on ml-100k (../shared/benchmarks), through
 * `contrarec serve` (the CLI, as deployed, `--workers N`) and its HTTP API.
 *
 * - Freshness: train on train.tsv only (`contrarec train`), serve, and measure Recall@20 on
 *   test.tsv over HTTP: (a) as trained (and with the valid.tsv items left out by the client,
 *   which isolates the vector from the seen-item filter); (b) after POSTing every valid.tsv
 *   interaction to `POST /v1/interactions`, with no retrain; (c) after a retrain on train+valid
 *   (the server swaps it in). Reported with the share of the gap from (a) to (c) that (b) closes.
 * - Cold items: 10 % of the items (seeded) are held out of a second store entirely (catalogue and
 *   interactions) and the model is trained without them; they are then added through
 *   `POST /v1/items` and their train.tsv interactions posted. Recall@20 on test.tsv restricted to
 *   those items, against a random ranking of them and against the model trained with them (a).
 * - Latency: `GET /v1/users/:id/recommendations?k=10` at `--rate` requests/s (open loop) for
 *   `--seconds`, live with the cache warm (hits), live with no cache (`--live-cache-users 0`:
 *   every request reads the user's history and runs the user tower), and precomputed
 *   (`--no-live-history`). Target: p99 under 10 ms at 1,000 requests/s with `--workers 2`.
 *
 *   npm run build && npm run bench:live -- [--seconds 10] [--rate 1000] [--workers 2] [--epochs N]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRng } from '../src/common/rng.js';
import { findItems, openStore } from '../src/store/index.js';
import { reportBenchTable, type BenchCell } from './bench-results.js';
import { httpRecallAtK, itemsByUser } from './http-recall.js';
import { closedLoop, openLoop, type LoadResult } from './http-load.js';
import { ingestMl100k, ML100K_SPLIT_DIR, splitPairs, splitRows } from './ml100k-store.js';
import { BENCH_CLI, startServeChild, type ServeChild } from './serve-child.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '2' },
    epochs: { type: 'string' },
    'cold-share': { type: 'string', default: '0.1' },
  },
});
if (!existsSync(ML100K_SPLIT_DIR)) {
  console.log(`bench:live skipped: ${ML100K_SPLIT_DIR} is absent`);
  process.exit(0);
}
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const workers = Number(values.workers);
const TOKEN = 'bench-live-token';
const K = 20;
const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-bench-live-'));
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** Runs `contrarec …args` to the end; its stdout. */
function contrarec(args: readonly string[]): string {
  return execFileSync(process.execPath, [BENCH_CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/** Trains (and activates) a model on `db` with the defaults, then indexes it; returns the seconds it took. */
function trainAndIndex(db: string): number {
  const t = Date.now();
  contrarec(['train', '--db', db, '--activate', ...(values.epochs ? ['--epochs', values.epochs] : [])]);
  contrarec(['index', '--db', db]);
  return (Date.now() - t) / 1000;
}

/** A store in the scratch folder with ml-100k's catalogue (less `leaveOut`) and train.tsv. */
async function ml100kDb(name: string, leaveOut: ReadonlySet<string> = new Set()): Promise<string> {
  const db = path.join(dir, name);
  const store = await openStore(db);
  await ingestMl100k(store, ['train.tsv'], leaveOut, dir);
  store.close();
  return db;
}

/** POSTs `body` to an admin route of the server, in one request; throws on anything but 200. */
async function postAdmin(url: string, route: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`POST ${route}: ${res.status} ${await res.text()}`);
}

/** POSTs interactions to `POST /v1/interactions` in requests of 5,000 rows. */
async function postInteractions(url: string, rows: readonly { user: string; item: string; ts: number }[]): Promise<void> {
  for (let s = 0; s < rows.length; s += 5000) await postAdmin(url, '/v1/interactions', { interactions: rows.slice(s, s + 5000) });
  // Every worker has seen them once its next check is due (the one that took the write, at once).
  await new Promise((resolve) => setTimeout(resolve, 500));
}

/** Waits until 20 answers in a row come from a version other than `old` (every worker has swapped). */
async function awaitSwapFrom(url: string, old: string, user: string): Promise<void> {
  for (let inRow = 0; inRow < 20;) {
    inRow = (await versionOf(url, user)) === old ? 0 : inRow + 1;
    if (inRow === 0) await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A recall rounded for the table. */
const r4 = (x: number): number => Number(x.toFixed(4));

const servingArgs = (db: string, extra: readonly string[] = []): string[] => ['--db', db, '--watch-ms', '500', ...extra];
const serve = (db: string, extra: readonly string[] = []): Promise<ServeChild> =>
  startServeChild(servingArgs(db, extra), workers, { CONTRAREC_ADMIN_TOKEN: TOKEN, CONTRAREC_READ_TOKEN: TOKEN });
/** The version that answers now; one retry, for a kept-alive connection the server closed while the bench trained. */
async function versionOf(url: string, user: string, retry = true): Promise<string> {
  try {
    return ((await (await fetch(`${url}/v1/users/${user}/recommendations?k=1`)).json()) as { model: string }).model;
  } catch (err) {
    if (!retry) throw err;
    return versionOf(url, user, false);
  }
}

/** How many times the server's primary replaced a worker that died (each one a failure of the server). */
const workerDeaths = (server: ServeChild): number => server.log().split('"msg":"worker died').length - 1;

const test = itemsByUser(splitPairs('test.tsv'));
const validRows = splitRows('valid.tsv');
const valid = itemsByUser(validRows.map((r) => [r.user, r.item]));
const trainRows = splitRows('train.tsv');
const anyUser = trainRows[0].user;

/** Every item id of the ml-100k catalogue, in a seeded order; the first `share` of them are the cold items. */
function coldItemIds(share: number): Set<string> {
  const ids = [...new Set([...trainRows, ...validRows].map((r) => r.item).concat([...test.values()].flatMap((s) => [...s])))].sort();
  const rng = createRng(16);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  return new Set(ids.slice(0, Math.round(share * ids.length)));
}

/** Freshness (a)–(c) on a store trained with every item, and the cold items' reference (a model trained with them). */
async function freshness(cold: ReadonlySet<string>): Promise<{ db: string; rows: BenchCell[][]; notes: string[] }> {
  const db = await ml100kDb('fresh.db');
  const trained = trainAndIndex(db);
  const server = await serve(db);
  try {
    const first = await versionOf(server.url, anyUser);
    const a = await httpRecallAtK(server.url, test, K);
    const aFiltered = await httpRecallAtK(server.url, test, K, { clientExcludes: valid });
    const coldTrained = await httpRecallAtK(server.url, test, K, { restrictTo: cold });
    log(
      `(a) ${a.recall.toFixed(4)}; valid items left out by the client ${aFiltered.recall.toFixed(4)}; cold items, trained with them ${coldTrained.recall.toFixed(4)}`,
    );
    await postInteractions(server.url, validRows);
    const b = await httpRecallAtK(server.url, test, K);
    log(`(b) ${b.recall.toFixed(4)}`);
    const retrained = trainAndIndex(db);
    await awaitSwapFrom(server.url, first, anyUser);
    const c = await httpRecallAtK(server.url, test, K);
    log(`(c) ${c.recall.toFixed(4)}`);
    const share = (b.recall - a.recall) / (c.recall - a.recall);
    return {
      db,
      rows: [
        ['freshness', '(a) as trained on train.tsv', r4(a.recall), a.users, null, null, null, null],
        ['freshness', '(a) as trained, valid.tsv items left out by the client', r4(aFiltered.recall), aFiltered.users, null, null, null, null],
        ['freshness', '(b) valid.tsv posted to POST /v1/interactions, no retrain', r4(b.recall), b.users, null, null, null, null],
        ['freshness', '(c) retrained on train+valid', r4(c.recall), c.users, null, null, null, null],
        ['cold items', 'trained with them (the model of (a))', r4(coldTrained.recall), coldTrained.users, null, null, null, null],
      ],
      notes: [
        `(b) closes ${(100 * share).toFixed(0)} % of the Recall@20 gap from (a) to (c); (a) with the valid items left out by the client closes ${((100 * (aFiltered.recall - a.recall)) / (c.recall - a.recall)).toFixed(0)} % of it alone.`,
        `contrarec train + index: ${trained.toFixed(0)} s on train.tsv, ${retrained.toFixed(0)} s on train+valid; workers that died: ${workerDeaths(server)}.`,
      ],
    };
  } catch (err) {
    log(`server log:\n${server.log().slice(-4000)}`);
    throw err;
  } finally {
    await server.stop();
  }
}

/** Expected Recall@K of a random ranking of the cold items the user has not seen, averaged over the users evaluated. */
function randomColdRecall(cold: ReadonlySet<string>): number {
  const seen = itemsByUser(trainRows.map((r) => [r.user, r.item]));
  const users = [...test].filter(([, items]) => [...items].some((i) => cold.has(i)));
  const each = users.map(([user]) => Math.min(1, K / [...cold].filter((i) => !seen.get(user)?.has(i)).length));
  return each.reduce((s, x) => s + x, 0) / users.length;
}

/** Cold items: a store and a model without them, then added through the live path. */
async function coldItems(cold: ReadonlySet<string>, fullDb: string): Promise<BenchCell[][]> {
  const db = await ml100kDb('cold.db', cold);
  trainAndIndex(db);
  const server = await serve(db);
  try {
    const full = await openStore(fullDb, { readonly: true });
    const items = (await findItems(full, [...cold])).map((i) => ({ id: i.id, features: i.features }));
    await full.close();
    await postAdmin(server.url, '/v1/items', { items });
    await postInteractions(
      server.url,
      trainRows.filter((r) => cold.has(r.item)),
    );
    const live = await httpRecallAtK(server.url, test, K, { restrictTo: cold });
    log(`cold items, live ${live.recall.toFixed(4)}`);
    return [
      ['cold items', `live: ${items.length} items added through POST /v1/items, no retrain`, r4(live.recall), live.users, null, null, null, null],
      ['cold items', 'random ranking of them', r4(randomColdRecall(cold)), live.users, null, null, null, null],
    ];
  } finally {
    await server.stop();
  }
}

/** p50/p99 of user recommendations at `rate` requests/s: live with a warm cache, live without a cache, precomputed. */
async function latency(db: string): Promise<BenchCell[][]> {
  const rng = createRng(7);
  const users = [...test.keys()];
  const paths = Array.from({ length: 5000 }, () => `/v1/users/${encodeURIComponent(users[rng.int(users.length)])}/recommendations?k=10`);
  const settings: [string, string[]][] = [
    ['live, cache hit', []],
    ['live, cache miss (--live-cache-users 0)', ['--live-cache-users', '0']],
    ['precomputed (--no-live-history)', ['--no-live-history']],
  ];
  const rows: BenchCell[][] = [];
  for (const [label, extra] of settings) {
    const server = await serve(db, extra);
    try {
      // Warm-up at the same rate: the JIT, and (live) every worker's cache of every user.
      await openLoop(server.url, paths, rate, 6);
      const r: LoadResult = await openLoop(server.url, paths, rate, seconds);
      // What the setting can take at most: 16 clients, each asking again as soon as answered.
      const max = await closedLoop(server.url, paths, 16, Math.min(seconds, 5));
      log(`${label}: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.errors} errors; at most ${max.rps.toFixed(0)} req/s`);
      rows.push([
        'latency',
        `${label}, --workers ${workers}`,
        null,
        null,
        Number(r.p50.toFixed(2)),
        Number(r.p99.toFixed(2)),
        r.errors + max.errors,
        Math.round(max.rps),
      ]);
    } finally {
      await server.stop();
    }
  }
  return rows;
}

const cold = coldItemIds(Number(values['cold-share']));
try {
  const fresh = await freshness(cold);
  const coldRows = await coldItems(cold, fresh.db);
  const latencyRows = await latency(fresh.db);
  reportBenchTable('live', {
    title: `bench:live: ml-100k over HTTP (contrarec serve --workers ${workers}); Recall@${K} on test.tsv; latency of GET /v1/users/:id/recommendations?k=10 at ${rate} req/s for ${seconds} s`,
    columns: ['part', 'setting', `Recall@${K}`, 'users', 'p50 ms', 'p99 ms', 'errors', 'max req/s'],
    rows: [...fresh.rows, ...coldRows, ...latencyRows],
    notes: [
      ...fresh.notes,
      `Cold items: ${cold.size} of the catalogue (seeded), held out of the cold store entirely; Recall@${K} restricted to them.`,
      `Latency: open loop at ${rate} req/s after a 6 s warm-up; max req/s: closed loop, 16 clients. Load average at the end: ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores.`,
    ],
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
