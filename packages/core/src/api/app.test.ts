import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../test/harness';

let g: TestGateway;
beforeEach(async () => {
  g = await createTestGateway({ config: { maxBodyBytes: 4096 } });
});
afterEach(() => g.close());

const envelope = (json: unknown, code: string) =>
  expect(json).toEqual({
    success: false,
    message: expect.any(String),
    data: null,
    error_code: code,
    details: expect.anything(),
  });

describe('the seed envelope on every error', () => {
  it('404 NOT_FOUND for an unknown route, authenticated or not', async () => {
    for (const key of [undefined, null]) {
      const r = await g.call('GET', '/v1/nope/', { key });
      expect(r.status).toBe(404);
      expect(r.json).toMatchObject({ success: false, error_code: 'NOT_FOUND', data: null });
    }
  });

  it('405 METHOD_NOT_ALLOWED with Allow for a known path', async () => {
    const r = await g.call('GET', '/v1/sms/send/');
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST');
    envelope(r.json, 'METHOD_NOT_ALLOWED');
    const d = await g.call('PUT', '/v1/keys');
    expect(d.status).toBe(405);
    expect(d.headers.get('allow')).toBe('POST, GET');
  });

  it('400 INVALID_JSON for an empty, malformed or non-object body', async () => {
    for (const body of ['', '{"message": "hi", "recipients": [', '[1,2]', '"text"']) {
      const r = await g.call('POST', '/v1/sms/send/', {
        body,
        headers: { 'Content-Type': 'application/json' },
      });
      expect(r.status).toBe(400);
      expect(r.json.error_code).toBe('INVALID_JSON');
    }
  });

  it('415 UNSUPPORTED_MEDIA_TYPE for a body that is not JSON', async () => {
    const r = await g.call('POST', '/v1/sms/send/', {
      body: 'message=hi',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(r.status).toBe(415);
    envelope(r.json, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('accepts JSON with a charset', async () => {
    const r = await g.call('POST', '/v1/sms/send/', {
      body: { message: 'hi', recipients: ['+255754000111'] },
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(r.status).toBe(200);
  });

  it('413 PAYLOAD_TOO_LARGE past maxBodyBytes', async () => {
    const r = await g.call('POST', '/v1/sms/send/', {
      body: { message: 'a'.repeat(5000), recipients: ['+255754000111'] },
    });
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ success: false, error_code: 'PAYLOAD_TOO_LARGE' });
  });

  it('401 INVALID_CREDENTIALS for a missing, malformed, unknown or revoked key', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { Authorization: 'Basic abc' },
      { Authorization: 'Bearer nope' },
      { Authorization: 'Bearer' },
    ]) {
      const r = await g.call('GET', '/v1/sms/balance/', { key: null, headers });
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ success: false, error_code: 'INVALID_CREDENTIALS', data: null });
    }
  });

  it('500 INTERNAL_ERROR in the envelope when storage fails, without leaking the cause', async () => {
    await g.call('GET', '/v1/sms/balance/'); // caches the key
    await g.database.db.schema.dropTable('ledger_entries').execute();
    const r = await g.call('POST', '/v1/sms/send/', {
      body: { message: 'hi', recipients: ['+255754000111'] },
    });
    expect(r.status).toBe(500);
    expect(r.json).toEqual({
      success: false,
      message: 'Something went wrong on our side',
      data: null,
      error_code: 'INTERNAL_ERROR',
      details: null,
    });
  });
});

describe('mounting', () => {
  it('fetch serves under /api/integration, paths with or without the trailing slash', async () => {
    for (const path of ['/api/integration/v1/sms/balance/', '/api/integration/v1/sms/balance']) {
      const res = await g.mifumo.fetch(
        new Request(`http://x${path}`, { headers: { Authorization: `Bearer ${g.key}` } }),
      );
      expect(res.status).toBe(200);
    }
    const res = await g.mifumo.fetch(new Request('http://x/elsewhere'));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error_code: 'NOT_FOUND' });
  });

  it('mounts in a host Hono app, strict or not, keeping its errors in the envelope', async () => {
    const host = new Hono();
    host.get('/', (c) => c.text('host'));
    host.route('/sms', g.mifumo.app);
    const ok = await host.request('/sms/v1/sms/balance/', { headers: { Authorization: `Bearer ${g.key}` } });
    expect(ok.status).toBe(200);
    const bad = await host.request('/sms/v1/sms/balance');
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error_code: 'INVALID_CREDENTIALS' });
    expect(await (await host.request('/')).text()).toBe('host');
  });
});

describe('unknown fields', () => {
  it.each([
    ['/v1/sms/send/', { message: 'hi', recipients: ['+255754000111'], colour: 'red' }, 'colour'],
    ['/v1/contacts/create/', { name: 'A', phone_number: '+255754000111', nickname: 'a' }, 'nickname'],
    [
      '/v1/contacts/segments/create/',
      { name: 'S', criteria: { tags: ['x'], city: 'Arusha' } },
      'criteria.city',
    ],
    ['/v1/keys/', { name: 'k', permissions: ['read'], expires: '2030-01-01' }, 'expires'],
  ])('%s refuses a body field it does not know, by name, and stores nothing', async (path, body, field) => {
    const r = await g.call('POST', path, { body });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      error_code: 'VALIDATION_ERROR',
      details: [{ field, message: 'unknown field' }],
    });
    expect(await g.database.db.selectFrom('messages').selectAll().execute()).toEqual([]);
  });
});
