import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArtifactEmbeddings, type ArtifactEmbeddings } from '../../src/index/index.js';
import { insertModel, openStore, updateModel } from '../../src/store/index.js';
import { naiveCosineRanking } from '../index/vector-index-suite.js';
import { skipWithout } from '../missing-dependency.js';
import { TINY_MODEL_FLAGS } from '../serve/cli-fixture.js';

// The console as a person uses it: a real `contrarec serve` (built CLI) over the synthetic fixture
// ingested into a temp database with a small model really trained by TF.js, driven in headless
// Chromium. Expected answers come from the fixture CSVs and brute force over the saved embeddings,
// never from the server's own code.
const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const CLI = path.join(REPO_ROOT, 'dist/src/cli.js');
const CONSOLE_JS = path.join(REPO_ROOT, 'dist/console/main.js');
const CHROMIUM = '/usr/bin/chromium';
const FIXTURE = path.join(REPO_ROOT, 'fixtures/synthetic');
const missing = [CHROMIUM, CLI, CONSOLE_JS].filter((f) => !existsSync(f));
const READ_TOKEN = 'e2e-read-token';

interface FixtureItem {
  readonly id: string;
  readonly title: string;
  readonly category: string;
  readonly tags: readonly string[];
}

function readCsv(file: string): string[][] {
  return readFileSync(path.join(FIXTURE, file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
}
const ITEMS = new Map(readCsv('items.csv').map(([id, title, category, tags]): [string, FixtureItem] => [id, { id, title, category, tags: tags.split('|') }]));
const EVENTS = readCsv('interactions.csv').map(([user, item, ts]) => ({ user, item, ts: Number(ts) }));
const tokens = (i: FixtureItem): string[] => [`category=${i.category}`, ...i.tags.map((t) => `tags=${t}`)];

function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`contrarec ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function row(side: ArtifactEmbeddings, id: string): Float32Array {
  const r = side.ids.indexOf(id);
  return side.vectors.subarray(r * side.dim, (r + 1) * side.dim);
}

/** Waits until the page has rendered (the router clears aria-busy) and returns its heading. */
async function heading(page: Page, expected?: string): Promise<string> {
  // A click or Enter changes the hash, and the router renders on the hashchange event, a task
  // later: until then the old page is not busy either. Wait (a while) for the page expected, then
  // read whatever is shown, so that a wrong page fails the assertion with its own heading.
  if (expected !== undefined) {
    await page
      .waitForFunction((t) => document.querySelector('main:not([aria-busy]) h1')?.textContent?.trim() === t, expected, { timeout: 10_000 })
      .catch(() => undefined);
  }
  await page.waitForSelector('main:not([aria-busy]) h1');
  return (await page.textContent('main h1'))!.trim();
}

/** The ranked list's entries: id (from the link), name and score, in page order. */
async function ranked(page: Page, list: string): Promise<{ id: string; name: string; score: number; shares: boolean }[]> {
  return page.$$eval(`${list} > li`, (lis) =>
    lis.map((li) => {
      const link = li.querySelector('a.item-link') as HTMLAnchorElement;
      return {
        id: decodeURIComponent(link.getAttribute('href')!.replace('#/items/', '')),
        name: link.firstChild!.textContent!,
        score: Number(li.querySelector('.score .num')!.textContent),
        shares: li.classList.contains('shares'),
      };
    }),
  );
}

describe.skipIf(skipWithout(missing.join(', '), missing.length > 0, 'install Debian chromium; run npm run build'))('web console in headless Chromium', () => {
  let dir: string;
  let url: string;
  let child: ChildProcess | undefined;
  let browser: BrowserContext | undefined;
  let version: string;
  let items: ArtifactEmbeddings;
  let users: ArtifactEmbeddings;
  const errors: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'contrarec-console-'));
    const db = path.join(dir, 'c.db');
    for (const kind of ['items', 'users', 'interactions']) cli(['ingest', kind, path.join(FIXTURE, `${kind}.csv`), '--db', db]);
    cli(['train', '--db', db, '--epochs', '1', ...TINY_MODEL_FLAGS]);
    const models = path.join(dir, 'models');
    version = (await readdir(models)).find((d) => !d.startsWith('.'))!;
    items = await readArtifactEmbeddings(path.join(models, version), 'item');
    users = await readArtifactEmbeddings(path.join(models, version), 'user');
    // A failed run and one whose metrics carry per-epoch curves, as the registry holds them.
    const store = await openStore(db);
    await insertModel(store, { version: '20200101T000000000Z', dataFrom: 1_577_836_800, dataTo: 1_580_000_000 });
    await updateModel(store, '20200101T000000000Z', { status: 'failed', reason: 'collapsed: item spread 0.002 < 0.01', finishedAt: 1_580_000_100 });
    const history = [1, 2, 3].map((epoch) => ({
      epoch,
      loss: { total: 6 - epoch, main: 5.5 - epoch, itemSsl: 0, userSsl: 0.5 },
      recall20: 0.1 * epoch,
      ndcg20: 0.05 * epoch,
      alignment: 1.5,
      uniformity: -1 - epoch / 10,
    }));
    await insertModel(store, { version: '20200102T000000000Z' });
    await updateModel(store, '20200102T000000000Z', {
      status: 'retired',
      metrics: { recall20: 0.3, ndcg20: 0.15, epochs: 3, history },
      finishedAt: 1_580_100_000,
    });
    store.close();
    const reports = path.join(dir, 'reports');
    mkdirSync(path.join(reports, 'noise-sweep'), { recursive: true });
    writeFileSync(path.join(reports, 'noise-sweep', 'report.html'), '<!doctype html><title>r</title><h1>Recall vs noise</h1>');
    // With a read token, so the console has to ask for it before it shows any data.
    child = spawn(process.execPath, [CLI, 'serve', '--db', db, '--port', '0', '--reports', reports], {
      env: { ...process.env, CONTRAREC_READ_TOKEN: READ_TOKEN },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      let log = '';
      child!.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const m = /"msg":"listening","url":"([^"]+)"/.exec(log);
        if (m) resolve(m[1]);
      });
      child!.once('exit', (code) => reject(new Error(`serve exited ${code}: ${log}`)));
    });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launchPersistentContext(await mkdtemp(path.join(tmpdir(), 'contrarec-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) await new Promise((resolve) => (child!.once('exit', resolve), child!.kill('SIGTERM')));
    await rm(dir, { recursive: true, force: true });
  });

  it('search → item → similar item → user → models → experiments, with the right names, counts and order', async () => {
    const page = await browser!.newPage();
    page.on('console', (m) => m.type() === 'error' && errors.push(`${page.url()}: ${m.text()}`));
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    await page.goto(`${url}/`);
    expect(await heading(page, 'Items')).toBe('Items');

    // Type-ahead: title prefix matches first (shortest id first), as many as the 8 shown. The
    // first console API read is refused: the console asks for the token, again after a wrong one.
    await page.fill('input[role=combobox]', 'gourox');
    await page.fill('dialog.token-dialog #read-token', 'wrong');
    await page.press('dialog.token-dialog #read-token', 'Enter');
    await page.waitForSelector('dialog.token-dialog [role=alert]');
    await page.fill('dialog.token-dialog #read-token', READ_TOKEN);
    await page.press('dialog.token-dialog #read-token', 'Enter');
    await page.waitForSelector('[role=listbox] li');
    const expectedHits = [...ITEMS.values()]
      .filter((i) => i.title.toLowerCase().includes('gourox'))
      .sort(
        (a, b) =>
          Number(!a.title.toLowerCase().startsWith('gourox')) - Number(!b.title.toLowerCase().startsWith('gourox')) ||
          a.id.length - b.id.length ||
          a.id.localeCompare(b.id),
      )
      .slice(0, 8);
    expect(expectedHits.length).toBeGreaterThan(1);
    expect(await page.$$eval('[role=listbox] li .name', (els) => els.map((e) => e.textContent))).toEqual(expectedHits.map((i) => i.title));
    // Keyboard: ArrowDown moves to the second suggestion, Enter opens it.
    await page.press('input[role=combobox]', 'ArrowDown');
    expect(await page.getAttribute('[role=listbox] li:nth-child(2)', 'aria-selected')).toBe('true');
    await page.press('input[role=combobox]', 'Enter');
    const opened = expectedHits[1];
    expect(await heading(page, opened.title)).toBe(opened.title);
    expect(page.url()).toBe(`${url}/#/items/${opened.id}`);

    // Item page: its features, then the 10 nearest items by cosine, best first, with their titles.
    expect(await page.textContent('main dl.features')).toContain(opened.category);
    const similar = await ranked(page, 'ol.ranked');
    const expected = naiveCosineRanking(items.ids, items.vectors, items.dim, row(items, opened.id))
      .filter((e) => e.id !== opened.id)
      .slice(0, 10);
    expect(similar.map((s) => s.id)).toEqual(expected.map((e) => e.id));
    expect(similar.map((s) => s.name)).toEqual(expected.map((e) => ITEMS.get(e.id)!.title));
    similar.forEach((s, k) => expect(s.score).toBeCloseTo(expected[k].score, 3));
    expect(similar.every((s, k) => k === 0 || s.score <= similar[k - 1].score)).toBe(true);

    // Clicking a similar item opens its page.
    await page.click('ol.ranked > li:nth-child(3) a.item-link');
    expect(await heading(page, ITEMS.get(expected[2].id)!.title)).toBe(ITEMS.get(expected[2].id)!.title);
    expect((await ranked(page, 'ol.ranked')).length).toBe(10);

    // A user: the busiest one, so the history is cut at 20 of their interactions.
    const counts = new Map<string, number>();
    for (const e of EVENTS) counts.set(e.user, (counts.get(e.user) ?? 0) + 1);
    const [userId, total] = [...counts].sort((a, b) => b[1] - a[1])[0];
    expect(total).toBeGreaterThan(20);
    await page.click('nav a[data-section=users]');
    expect(await heading(page, 'Users')).toBe('Users');
    await page.fill('#user-id', userId);
    await page.press('#user-id', 'Enter');
    expect(await heading(page, `User ${userId}`)).toBe(`User ${userId}`);
    expect(await page.textContent('#history-h')).toBe(`Recent history (20 of ${total})`);
    const mine = EVENTS.filter((e) => e.user === userId).sort((a, b) => b.ts - a.ts || a.item.localeCompare(b.item));
    const historyIds = await page.$$eval('ol.history a.item-link', (as) => as.map((a) => decodeURIComponent(a.getAttribute('href')!.replace('#/items/', ''))));
    expect(historyIds).toEqual(mine.slice(0, 20).map((e) => e.item));
    expect(await page.getAttribute('ol.history > li:first-child time', 'datetime')).toBe(new Date(mine[0].ts * 1000).toISOString());
    // Recommendations: brute force over the user's vector, every item they saw left out; marked
    // when sharing a category or tag with the 20 shown history items.
    const seen = new Set(mine.map((e) => e.item));
    const recs = await ranked(page, 'ol.ranked');
    const expectedRecs = naiveCosineRanking(items.ids, items.vectors, items.dim, row(users, userId))
      .filter((e) => !seen.has(e.id))
      .slice(0, 10);
    expect(recs.map((r) => r.id)).toEqual(expectedRecs.map((e) => e.id));
    recs.forEach((r, k) => expect(r.score).toBeCloseTo(expectedRecs[k].score, 3));
    const historyTokens = new Set(mine.slice(0, 20).flatMap((e) => tokens(ITEMS.get(e.item)!)));
    expect(recs.map((r) => r.shares)).toEqual(recs.map((r) => tokens(ITEMS.get(r.id)!).some((t) => historyTokens.has(t))));

    // Models: three versions, newest first; the trained one active and served, the failed one with its reason.
    await page.click('nav a[data-section=models]');
    expect(await heading(page, 'Models')).toBe('Models');
    const rows = await page.$$eval('table.models tbody tr:not(.reason-row)', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent!.trim())));
    expect(rows.map((r) => r[0])).toEqual(['20200102T000000000Z', '20200101T000000000Z', version]);
    expect(rows[2][1]).toBe('activeserving');
    expect(rows[1][1]).toBe('failed');
    expect(rows[1][3]).toBe('2020-01-01 → 2020-01-26');
    expect(await page.$$eval('table.models tr.reason-row', (trs) => trs.map((tr) => tr.textContent))).toEqual(['Failed: collapsed: item spread 0.002 < 0.01']);
    expect(await page.$eval('table.models tr.reason-row', (tr) => tr.previousElementSibling!.querySelector('a')!.textContent)).toBe('20200101T000000000Z');
    await page.click('a[href="#/models/20200102T000000000Z"]');
    expect(await heading(page, 'Model 20200102T000000000Z')).toBe('Model 20200102T000000000Z');
    expect(await page.$$eval('figure.chart figcaption', (f) => f.map((e) => e.textContent))).toEqual(['Loss', 'Validation', 'Alignment / uniformity']);
    expect(await page.$$eval('figure.chart polyline', (p) => p.map((e) => e.getAttribute('points')!.split(' ').length))).toEqual([3, 3, 3, 3, 3, 3, 3]);

    // Experiments: the latest report embedded from the --reports folder.
    await page.click('nav a[data-section=experiments]');
    expect(await heading(page, 'Experiments')).toBe('Experiments');
    expect(await page.getAttribute('iframe.report', 'src')).toBe('/reports/noise-sweep/report.html');
    expect(await page.frameLocator('iframe.report').locator('h1').textContent()).toBe('Recall vs noise');

    // Asked once for the whole session: the token is kept for the tab, no dialog is left open.
    expect(await page.evaluate(() => sessionStorage.getItem('contrarec.readToken'))).toBe(READ_TOKEN);
    expect(await page.locator('dialog.token-dialog').count()).toBe(0);
    // Chromium logs each refused request (the two 401s before the right token); nothing else.
    expect(errors.filter((e) => !/status of 401 \(Unauthorized\)/.test(e))).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
  }, 60_000);

  it("answers the console endpoints' bad requests with the field and the reason", async () => {
    const get = async (p: string, token = READ_TOKEN) => {
      const res = await fetch(`${url}${p}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    expect(await get('/console/api/users/u1', 'wrong')).toEqual({
      status: 401,
      body: { error: { code: 'unauthorized', message: 'missing or wrong bearer token (Authorization: Bearer <CONTRAREC_READ_TOKEN>)' } },
    });
    expect(await get('/console/api/items/nope')).toEqual({
      status: 404,
      body: { error: { code: 'unknown_item', message: 'unknown item "nope" (not in the catalogue)' } },
    });
    expect(await get('/console/api/users/nobody')).toEqual({
      status: 404,
      body: { error: { code: 'unknown_user', message: 'unknown user "nobody" (not in the store)' } },
    });
    expect(await get('/console/api/models/v0')).toEqual({ status: 404, body: { error: { code: 'unknown_model', message: 'unknown model version "v0"' } } });
    expect(await get('/console/api/items')).toEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'query: give exactly one of "q" (search) or "ids" (comma-separated ids)' } },
    });
    expect(await get('/console/api/items?q=i&limit=101')).toEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'query parameter "limit": must be an integer from 1 to 100' } },
    });
    expect(await get('/console/api/users/u1?history=-1')).toEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'query parameter "history": must be an integer from 0 to 500' } },
    });
    // LIKE wildcards in the query are literal: "%" matches no title.
    expect(await get('/console/api/items?q=%25')).toEqual({ status: 200, body: { items: [] } });
    expect(await get('/console/api/items?ids=i2,zz,i1')).toEqual({
      status: 200,
      body: {
        items: ['i2', 'i1'].map((id) => ({
          id,
          features: { title: ITEMS.get(id)!.title, category: ITEMS.get(id)!.category, tags: ITEMS.get(id)!.tags, price: expect.any(Number) },
          deleted: false,
        })),
      },
    });
  });
});
