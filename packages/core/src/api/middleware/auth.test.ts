import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../test/harness';
import type { Permission } from '../../auth/api-key';

let g: TestGateway;
const keys = {} as Record<Permission, string>;
let messageId: string;
let segmentId: string;

beforeAll(async () => {
  g = await createTestGateway();
  for (const p of ['read', 'write', 'admin'] as const) {
    keys[p] = (await g.mifumo.admin.createKey({ accountId: g.account.id, name: p, permissions: [p] })).key;
  }
  messageId = (
    await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients: ['+255754000111'] } })
  ).json.data.message_id;
  segmentId = (await g.call('POST', '/v1/contacts/segments/create/', { body: { name: 's' } })).json.data.id;
});
afterAll(() => g.close());

type Row = [string, string, unknown, Permission];
let n = 0;
const routes = (): Row[] => [
  ['POST', '/v1/sms/send/', { message: 'hi', recipients: ['+255754000111'] }, 'write'],
  ['GET', `/v1/sms/status/${messageId}/`, undefined, 'read'],
  ['GET', '/v1/sms/delivery-reports/', undefined, 'read'],
  ['GET', '/v1/sms/balance/', undefined, 'read'],
  [
    'POST',
    '/v1/contacts/create/',
    { name: 'n', phone_number: `+25575410${String(n++).padStart(4, '0')}` },
    'write',
  ],
  ['GET', '/v1/contacts/search/', undefined, 'read'],
  ['POST', '/v1/contacts/segments/create/', { name: 's' }, 'write'],
  ['GET', '/v1/contacts/segments/', undefined, 'read'],
  ['GET', `/v1/contacts/segments/${segmentId}/`, undefined, 'read'],
  ['POST', '/v1/keys/', { name: 'k', permissions: ['read'] }, 'admin'],
  ['GET', '/v1/keys/', undefined, 'admin'],
];

describe('permission matrix', () => {
  it('each key reaches exactly the routes its permission covers; admin reaches all', async () => {
    for (const held of ['read', 'write', 'admin'] as const) {
      for (const [method, path, body, needed] of routes()) {
        const r = await g.call(method, path, { key: keys[held], body });
        const allowed = held === 'admin' || held === needed;
        if (allowed) expect([200, 201], `${held} ${method} ${path}`).toContain(r.status);
        else {
          expect(r.status, `${held} ${method} ${path}`).toBe(403);
          expect(r.json).toMatchObject({
            success: false,
            error_code: 'PERMISSION_DENIED',
            details: { required: needed },
          });
        }
      }
    }
  });

  it('DELETE /v1/keys/{id} needs admin', async () => {
    const victim = await g.mifumo.admin.createKey({
      accountId: g.account.id,
      name: 'v',
      permissions: ['read'],
    });
    for (const held of ['read', 'write'] as const) {
      expect((await g.call('DELETE', `/v1/keys/${victim.record.id}/`, { key: keys[held] })).status).toBe(403);
    }
    expect((await g.call('DELETE', `/v1/keys/${victim.record.id}/`, { key: keys.admin })).status).toBe(200);
  });
});

describe('cross-account isolation', () => {
  it('another account’s ids answer 404 on every id-taking route, and its rows never show', async () => {
    const other = await g.newAccount();
    const victimKey = await g.mifumo.admin.createKey({
      accountId: g.account.id,
      name: 'victim',
      permissions: ['read'],
    });
    for (const [method, path] of [
      ['GET', `/v1/sms/status/${messageId}/`],
      ['GET', `/v1/contacts/segments/${segmentId}/`],
      ['GET', `/v1/contacts/search/?segment_id=${segmentId}`],
      ['DELETE', `/v1/keys/${victimKey.record.id}/`],
    ] as const) {
      const r = await g.call(method, path, { key: other.key });
      expect(r.status, path).toBe(404);
      expect(r.json.error_code).toBe('NOT_FOUND');
    }
    expect((await g.call('GET', '/v1/sms/balance/', { key: victimKey.key })).status).toBe(200);
    const reports = await g.call('GET', '/v1/sms/delivery-reports/', { key: other.key });
    expect(reports.json.data.pagination.total).toBe(0);
    const contacts = await g.call('GET', '/v1/contacts/search/', { key: other.key });
    expect(contacts.json.data.total).toBe(0);
    const segments = await g.call('GET', '/v1/contacts/segments/', { key: other.key });
    expect(segments.json.data.segments).toEqual([]);
    const keyList = await g.call('GET', '/v1/keys/', { key: other.key });
    expect(keyList.json.data.keys).toHaveLength(1);
    expect((await g.call('GET', '/v1/sms/balance/', { key: other.key })).json.data.balance).toBe(5000);
  });
});

describe('the API key in X-API-Key', () => {
  const balance = (headers: Record<string, string>) =>
    g.call('GET', '/v1/sms/balance/', { key: null, headers });

  it('is taken as well as Bearer, also beside an Authorization header the key is not in', async () => {
    expect((await balance({ 'X-API-Key': keys.read })).json.success).toBe(true);
    expect(
      (await balance({ Authorization: 'Basic c3RhZmY6cHc=', 'X-API-Key': keys.read })).json.success,
    ).toBe(true);
  });

  it('is refused like any wrong key, and its absence is named', async () => {
    const wrong = await balance({ 'X-API-Key': 'mk_live_nope' });
    expect([wrong.status, wrong.json.error_code]).toEqual([401, 'INVALID_CREDENTIALS']);
    const basic = await balance({ Authorization: 'Basic c3RhZmY6cHc=' });
    expect(basic.json).toMatchObject({
      error_code: 'INVALID_CREDENTIALS',
      details: { hint: 'The Authorization header must be Bearer <key> (or send X-API-Key: <key>)' },
    });
    const none = await balance({});
    expect(none.json.details).toEqual({
      hint: 'No API key: send it as Authorization: Bearer <key> or X-API-Key: <key>',
    });
  });
});
