import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestInteractionRows } from '../../src/ingest/ingest-rows.js';
import { activeModelOfStore, createRouters, loadModelSnapshot, ModelRegistry, type ServeApp, type ServiceRouters } from '../../src/serve/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { ADMIN_TOKEN, fullAppDeps, READ_TOKEN } from './full-app-fixture.js';
import { ingest, writeInput } from '../ingest/helpers.js';
import { addModel, tempDir } from './serve-fixture.js';

const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** One request per table entry, keyed `METHOD /pattern`: a new route must add its own here. */
const SAMPLES: Readonly<Record<string, { readonly url: string; readonly init?: RequestInit }>> = {
  'GET /healthz': { url: '/healthz' },
  'GET /metrics': { url: '/metrics' },
  'GET /v1/items/:id/similar': { url: '/v1/items/i3/similar?k=4' },
  'GET /v1/users/:id/recommendations': { url: '/v1/users/u0/recommendations?k=4&exclude_seen=true' },
  'POST /v1/recommendations': {
    url: '/v1/recommendations',
    init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"recent_items": ["i1"]}' },
  },
  // Every row refused: the same 400 on each call (a stored row would answer "duplicate" the second time).
  'POST /v1/interactions': {
    url: '/v1/interactions',
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: '{"interactions": [{"user": "u9"}]}',
    },
  },
  // An item refused, and an unknown item: the same answer on each call, as for interactions.
  'POST /v1/items': {
    url: '/v1/items',
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: '{"items": [{"id": " ", "features": {}}]}',
    },
  },
  'DELETE /v1/items/:id': { url: '/v1/items/nobody', init: { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } } },
  'GET /v1/models': { url: '/v1/models' },
  'GET /console/api/items': { url: '/console/api/items?q=i' },
  'GET /console/api/items/:id': { url: '/console/api/items/i1' },
  'GET /console/api/users/:id': { url: '/console/api/users/u0?history=5' },
  'GET /console/api/models/:version': { url: '/console/api/models/v1' },
  'GET /console/api/reports': { url: '/console/api/reports' },
  'GET /openapi.json': { url: '/openapi.json' },
};

/** Variants both routers must treat alike: letter case, a trailing slash, a bad query, an unknown id, a badly encoded id. */
const variants = (url: string): string[] => {
  const [p, q = ''] = url.split('?');
  const id = /\/(i3|u0|i1)(?=\/|$)|\/v1$/;
  return [
    url,
    `${p.toUpperCase()}?${q}`,
    `${p}/?${q}`,
    `${p}?k=0&history=x&q=`,
    `${p}?k[]=1&k[]=2`,
    `${p}?k=1&k=2`,
    p.replace(id, '/nobody'),
    p.replace(id, '/%E0%A4%A'),
  ];
};

interface Answer {
  readonly status: number;
  readonly type: string | null;
  readonly body: string;
}

async function listen(app: ServeApp): Promise<{ server: Server; url: string }> {
  const server = createServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function ask(base: string, url: string, init: RequestInit = {}): Promise<Answer> {
  const headers = { authorization: `Bearer ${READ_TOKEN}`, ...(init.headers as Record<string, string> | undefined) };
  const res = await fetch(`${base}${url}`, { ...init, headers });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

/** The `` `METHOD /path` `` routes a markdown section names (query strings left off). */
function documentedRoutes(markdown: string, heading: string): Set<string> {
  const start = markdown.indexOf(`\n${heading}\n`);
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  return new Set([...section.matchAll(/`(GET|POST|DELETE) (\/[^`?\s]*)/g)].map((m) => `${m[1]} ${m[2]}`));
}

describe('one route table behind both routers', () => {
  let dir: string;
  let store: Store;
  let routers: ServiceRouters;
  const servers: Server[] = [];
  let both: string;
  let expressOnly: string;
  let fastOnly: string;

  beforeAll(async () => {
    dir = await tempDir();
    const dbPath = path.join(dir, 'contrarec.db');
    store = await openStore(dbPath);
    await addModel(store, dbPath, 'v1', 1, true);
    await ingest(store, 'items', [writeInput(dir, 'items.csv', 'item,title\ni1,One\ni2,Two\ni3,Three\n')]);
    await ingestInteractionRows(store, [{ user: 'u0', item: 'i1', ts: 1_700_000_000 }], { source: 'test' });
    const models = new ModelRegistry(
      (ref) => loadModelSnapshot(ref, { dbPath }),
      activeModelOfStore(store),
      () => {},
    );
    await models.sync();
    routers = createRouters(fullAppDeps(store, models));
    const { fast, express } = routers;
    const started = await Promise.all([
      listen((req, res) => fast(req, res) || express(req, res)),
      listen(express),
      // What the fast path leaves alone answers 599, so a fall-through shows.
      listen((req, res) => fast(req, res) || res.writeHead(599).end('not fast')),
    ]);
    servers.push(...started.map((s) => s.server));
    [both, expressOnly, fastOnly] = started.map((s) => s.url);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('has a sample request for every entry, and only those', () => {
    expect(routers.routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it('answers every entry, and its variants, the same through the fast path as through express alone', async () => {
    for (const route of routers.routes) {
      const sample = SAMPLES[`${route.method} ${route.path}`];
      for (const url of route.method === 'GET' ? variants(sample.url) : [sample.url]) {
        const viaBoth = await ask(both, url, sample.init);
        const viaExpress = await ask(expressOnly, url, sample.init);
        const viaFast = await ask(fastOnly, url, sample.init);
        const label = `${route.method} ${url}`;
        // The scrape's counters move between two requests; its status and type do not.
        if (route.path === '/metrics') expect({ ...viaBoth, body: '' }, label).toEqual({ ...viaExpress, body: '' });
        else expect(viaBoth, label).toEqual(viaExpress);
        // The sample reaches its route's own answer (the test model has no user tower: a 501 there).
        if (url === sample.url) expect(viaExpress.body, label).not.toMatch(/"(not_found|internal_error)"/);
        if (route.fast) expect(viaFast, label).toEqual(viaExpress);
        else expect(viaFast.status, label).toBe(599);
      }
    }
  });

  it('answers HEAD of a fast entry as express does, and leaves other methods to express', async () => {
    for (const route of routers.routes.filter((r) => r.fast)) {
      const url = SAMPLES[`${route.method} ${route.path}`].url;
      const head = { method: 'HEAD' };
      expect(await ask(both, url, head)).toEqual(await ask(expressOnly, url, head));
      expect((await ask(fastOnly, url, head)).status).toBe(200);
      expect((await ask(fastOnly, url, { method: 'DELETE' })).status).toBe(599);
    }
  });

  it('refuses an array query parameter on every entry, through the fast path and express alike, naming it', async () => {
    for (const route of routers.routes.filter((r) => r.method === 'GET')) {
      const path = SAMPLES[`${route.method} ${route.path}`].url.split('?')[0];
      for (const [query, message] of [
        ['k[]=1&k[]=2', 'query parameter "k[]": bracket parameters are not accepted; give "k" once'],
        ['k=1&k=2', 'query parameter "k": given 2 times; give it once'],
        ['history[x]=3', 'query parameter "history[x]": bracket parameters are not accepted; give "history" once'],
      ]) {
        const expected = { status: 400, type: 'application/json; charset=utf-8', body: JSON.stringify({ error: { code: 'invalid_request', message } }) };
        expect(await ask(expressOnly, `${path}?${query}`), `${path}?${query}`).toEqual(expected);
        expect(await ask(both, `${path}?${query}`), `${path}?${query}`).toEqual(expected);
      }
    }
  });

  it('answers OPTIONS on every entry with 204 and the methods of its path, the same through both routers, without a token', async () => {
    for (const route of routers.routes) {
      const url = SAMPLES[`${route.method} ${route.path}`].url;
      const allow = route.method === 'GET' ? 'GET, HEAD, OPTIONS' : `${route.method}, OPTIONS`;
      for (const base of route.fast ? [both, expressOnly, fastOnly] : [both, expressOnly]) {
        const res = await fetch(`${base}${url}`, { method: 'OPTIONS' });
        expect({ status: res.status, allow: res.headers.get('allow'), body: await res.text() }, `${base} ${url}`).toEqual({ status: 204, allow, body: '' });
      }
    }
  });

  it('serves under /v1 exactly the routes README documents, and README documents every route', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const documented = documentedRoutes(readme, '## HTTP API');
    documented.delete('GET /'); // the console's page: a static file, not a table entry
    expect([...documented].sort()).toEqual(routers.routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('documents each console API route in docs/http-api.md', () => {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs/http-api.md'), 'utf8');
    const headings = new Set([...doc.matchAll(/^### `(GET|POST) ([^`?\s]+)/gm)].map((m) => `${m[1]} ${m[2]}`));
    expect([...headings].sort()).toEqual(
      routers.routes
        .filter((r) => r.path.startsWith('/console/api/'))
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
  });
});
