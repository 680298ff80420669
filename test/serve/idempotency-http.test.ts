import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows } from '../../src/store/index.js';
import { ADMIN_TOKEN, startFullApp, type FullApp } from './full-app-fixture.js';

describe('POST /v1/interactions with an Idempotency-Key', () => {
  let app: FullApp;
  beforeAll(async () => {
    app = await startFullApp();
  });
  afterAll(async () => app?.close());

  const post = (body: unknown, key?: string) =>
    fetch(`${app.base}/v1/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}`, ...(key === undefined ? {} : { 'idempotency-key': key }) },
      body: JSON.stringify(body),
    });

  it('answers a retry as the first request, marked replayed, without writing; refuses the key with another body (422)', async () => {
    // No ts: a write without the key would stamp the retry's rows anew and store them twice.
    const body = { interactions: [{ user: 'idem-user', item: 'i1' }, { user: 'idem-user', item: 'i2' }, { item: 'i1' }] };
    const first = await post(body, 'order-42');
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const answer = await first.json();
    expect(answer).toMatchObject({ inserted: 2, duplicates: 0, rejected: [{ index: 2 }] });
    const rows = await countRows(app.store);

    await new Promise((resolve) => setTimeout(resolve, 1100)); // a later second, so a new write would differ in time
    // The same body with its keys in another order is the same request.
    const retry = await post({ interactions: body.interactions.map((r) => Object.fromEntries(Object.entries(r).reverse())) }, 'order-42');
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(answer);
    expect(await countRows(app.store)).toEqual(rows);

    const reused = await post({ interactions: [{ user: 'idem-user', item: 'i3' }] }, 'order-42');
    expect(reused.status).toBe(422);
    expect(await reused.json()).toEqual({ error: { code: 'idempotency_key_reused', message: expect.stringContaining('already used with a different body') } });
    expect(await countRows(app.store)).toEqual(rows);
  });

  it('refuses a key that is not 1 to 200 printable ASCII characters (400) before writing', async () => {
    for (const key of ['x'.repeat(201), 'tab\there']) {
      const res = await post({ interactions: [{ user: 'u1', item: 'i1', ts: 1 }] }, key);
      expect(res.status, key).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'invalid_request', message: 'header Idempotency-Key: must be 1 to 200 printable ASCII characters' } });
    }
    expect((await post({ interactions: [{ user: 'u1', item: 'i1', ts: 1 }] }, 'x'.repeat(200))).status).toBe(200);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${app.base}/openapi.json`)).json()) as {
      paths: Record<string, { post: { parameters: unknown[]; responses: Record<string, unknown> } }>;
    };
    const op = doc.paths['/v1/interactions'].post;
    expect(op.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }));
    expect(op.responses['200']).toMatchObject({ headers: { 'Idempotent-Replayed': expect.any(Object) } });
    expect(op.responses['422']).toBeDefined();
  });
});
