import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type Reply, type TestGateway } from '../test/harness';
import { openApiDocument } from './api/openapi/document';
import { createFakeCarrier } from './carriers/fake';
import { ERROR_DETAILS } from './error-details';
import { ERROR_CODES, type ErrorCode, GatewayError } from './errors';

let g: TestGateway;
beforeAll(async () => {
  g = await createTestGateway({
    config: {
      routes: [{ prefixes: ['+255'], carriers: ['dev'] }],
      pricing: { prefixes: { '+1': 30 } },
      contacts: { maxImportRows: 2 },
      messages: { maxRecipients: 3 },
    },
  });
});
afterAll(() => g.close());

const document = openApiDocument();

/** The error codes the OpenAPI document lists for the operation that serves `method path`. */
function documentedCodes(method: string, path: string): string[] | null {
  for (const [pattern, methods] of Object.entries(document.paths)) {
    const re = new RegExp(`^${pattern.replace(/\{\w+\}/g, '[^/]+')}$`);
    const op = methods[method.toLowerCase()] as
      | { responses: Record<string, { content: { 'application/json': { schema: unknown } } }> }
      | undefined;
    if (!op || !re.test(path.split('?')[0]!)) continue;
    return Object.values(op.responses).flatMap(
      (r) =>
        JSON.stringify(r.content['application/json'].schema)
          .match(/Error_[A-Z_]+/g)
          ?.map((ref) => ref.slice('Error_'.length)) ?? [],
    );
  }
  return null;
}

const json = (body: unknown) => ({ body });
const csv = (text: string) => ({ body: text, headers: { 'Content-Type': 'text/csv' } });
const dashboard = (path: string, init: RequestInit) =>
  g.mifumo.app.request(`/dashboard${path}`, {
    ...init,
    headers: { Accept: 'application/json', ...init.headers },
  });
const reply = async (res: Response): Promise<Reply> => ({
  status: res.status,
  json: await res.json(),
  headers: res.headers,
});

interface Case {
  code: ErrorCode;
  what: string;
  /** The request; the method and path of an API call are checked against the OpenAPI document. */
  request: () => Promise<Reply & { method?: string; path?: string }>;
  /** The details exactly, where a case pins them. */
  details?: unknown;
}

const call = (method: string, path: string, init?: Parameters<TestGateway['call']>[2]) => async () => ({
  ...(await g.call(method, path, init)),
  method,
  path,
});

const CASES: Case[] = [
  {
    code: 'VALIDATION_ERROR',
    what: 'a field the schema refuses',
    request: call('POST', '/v1/sms/send/', json({ message: 'hi' })),
    details: [{ field: 'recipients', message: expect.any(String) }],
  },
  {
    code: 'VALIDATION_ERROR',
    what: 'an unknown query parameter',
    request: call('GET', '/v1/sms/balance/?colour=red'),
    details: [{ field: 'colour', message: 'unknown query parameter' }],
  },
  {
    code: 'VALIDATION_ERROR',
    what: 'a body-wide rule (PATCH with nothing to change)',
    request: async () => {
      const created = await g.call('POST', '/v1/contacts/create/', {
        body: { name: 'P', phone_number: '+255754000190' },
      });
      return call('PATCH', `/v1/contacts/${created.json.data.id}/`, json({}))();
    },
    details: [{ field: '(body)', message: 'give at least one field to change' }],
  },
  {
    code: 'VALIDATION_ERROR',
    what: 'a schedule_time that is not an instant',
    request: call(
      'POST',
      '/v1/sms/send/',
      json({ message: 'hi', recipients: ['+255754000111'], schedule_time: 'soon' }),
    ),
    details: [{ field: 'schedule_time', message: expect.any(String) }],
  },
  {
    code: 'VALIDATION_ERROR',
    what: 'more recipients than a send takes',
    request: call('POST', '/v1/sms/send/', json({ message: 'hi', recipients: ['1', '2', '3', '4'] })),
    details: [{ field: 'recipients', message: expect.stringContaining('3') }],
  },
  {
    code: 'VALIDATION_ERROR',
    what: 'a malformed Idempotency-Key',
    request: call('POST', '/v1/sms/send/', {
      body: { message: 'hi', recipients: ['+255754000111'] },
      headers: { 'Idempotency-Key': 'ä' },
    }),
    details: [{ field: 'Idempotency-Key', message: expect.any(String) }],
  },
  {
    code: 'VALIDATION_ERROR',
    what: 'JSON nested too deep',
    request: call('POST', '/v1/sms/send/', json(`${'['.repeat(40)}${']'.repeat(40)}`)),
    details: [{ field: '(body)', message: expect.stringContaining('nests deeper') }],
  },
  {
    code: 'VALIDATION_ERROR',
    what: 'an unknown template placeholder',
    request: call(
      'POST',
      '/v1/campaigns/',
      json({ name: 'C', message: 'Hi {colour}', recipients: ['+255754000111'] }),
    ),
    details: [{ field: 'message', message: expect.stringContaining('{colour}') }],
  },
  {
    code: 'VALIDATION_ERROR',
    what: 'contact_ids that are not the account’s',
    request: call('POST', '/v1/campaigns/', json({ name: 'C', message: 'Hi', contact_ids: ['ct_nope'] })),
    details: [{ field: 'contact_ids.0', message: 'not a contact of this account' }],
  },
  {
    code: 'VALIDATION_ERROR',
    what: 'a webhook URL the gateway will not call',
    request: call('PUT', '/v1/webhooks/', json({ url: 'http://127.0.0.1/x' })),
    details: [{ field: 'url', message: expect.any(String) }],
  },
  {
    code: 'VALIDATION_ERROR',
    what: 'a date filter after its end',
    request: call('GET', '/v1/sms/messages/?start_date=2026-02-01&end_date=2026-01-01'),
    details: [{ field: 'start_date', message: 'is after end_date' }],
  },
  {
    code: 'VALIDATION_ERROR',
    what: 'an expires_at in the past',
    request: call(
      'POST',
      '/v1/keys/',
      json({ name: 'k', permissions: ['read'], expires_at: '2000-01-01T00:00:00Z' }),
    ),
    details: [{ field: 'expires_at', message: 'must be in the future' }],
  },
  {
    code: 'VALIDATION_ERROR',
    what: 'a CSV header with an unknown and without a required column',
    request: call('POST', '/v1/contacts/import/', csv('name,colour\nA,red\n')),
    details: [
      { field: 'colour', message: 'unknown column' },
      { field: 'phone_number', message: 'missing column' },
    ],
  },
  {
    code: 'VALIDATION_ERROR',
    what: 'an import over the row limit',
    request: call(
      'POST',
      '/v1/contacts/import/',
      csv('name,phone_number\nA,0754000111\nB,0754000112\nC,0754000113\n'),
    ),
    details: [{ field: '(body)', message: expect.stringContaining('2') }],
  },
  {
    code: 'VALIDATION_ERROR',
    what: 'a path holding U+0000',
    request: call('GET', '/v1/sms/status/a%00b/'),
    details: [{ field: 'path', message: expect.stringContaining('U+0000') }],
  },
  {
    code: 'VALIDATION_ERROR',
    what: 'an unusable dashboard form',
    request: async () =>
      reply(await dashboard('/sign-in', { method: 'POST', body: new URLSearchParams({ x: 'y' }) })),
  },
  {
    code: 'INVALID_JSON',
    what: 'a body that is not JSON',
    request: call('POST', '/v1/sms/send/', json('{nope')),
    details: [{ field: '(body)', message: expect.any(String) }],
  },
  {
    code: 'INVALID_JSON',
    what: 'an empty body',
    request: call('POST', '/v1/sms/send/', { body: '', headers: { 'Content-Type': 'application/json' } }),
    details: [{ field: '(body)', message: expect.any(String) }],
  },
  {
    code: 'INVALID_JSON',
    what: 'an import that is not an array',
    request: call('POST', '/v1/contacts/import/', json({})),
    details: [{ field: '(body)', message: expect.any(String) }],
  },
  {
    code: 'INVALID_PHONE',
    what: 'a send to an impossible number',
    request: call('POST', '/v1/sms/send/', json({ message: 'hi', recipients: ['123'] })),
    details: { invalid: [{ input: '123', reason: expect.any(String) }] },
  },
  {
    code: 'INVALID_PHONE',
    what: 'a contact with an impossible number',
    request: call('POST', '/v1/contacts/create/', json({ name: 'A', phone_number: '123' })),
  },
  {
    code: 'UNSUPPORTED_DESTINATION',
    what: 'a number without a price',
    request: call('POST', '/v1/sms/send/', json({ message: 'hi', recipients: ['+442071838750'] })),
    details: { phones: ['+442071838750'] },
  },
  {
    code: 'RECIPIENT_OPTED_OUT',
    what: 'a send whose only recipient opted out',
    request: async () => {
      await g.call('POST', '/v1/opt-outs/', json({ phone_number: '+255754000177' }));
      return call('POST', '/v1/sms/send/', json({ message: 'hi', recipients: ['0754000177'] }))();
    },
    details: { suppressed: [{ phone: '+255754000177', reason: 'opted_out' }] },
  },
  {
    code: 'NOT_FOUND',
    what: 'an opt-in of a number not opted out',
    request: call('DELETE', '/v1/opt-outs/%2B255754000176/', json({ evidence: 'form' })),
    details: null,
  },
  {
    code: 'NO_ROUTE',
    what: 'a priced number no route covers',
    request: call('POST', '/v1/sms/send/', json({ message: 'hi', recipients: ['+14155552671'] })),
    details: { phones: ['+14155552671'], encoding: null },
  },
  {
    code: 'OPT_OUT_REQUIRED',
    what: 'a promotional footer for an account without an inbound number',
    request: async () => {
      try {
        await g.mifumo.compliance.footerFor(g.account.id, null);
      } catch (e) {
        if (!(e instanceof GatewayError)) throw e;
        const res = e.getResponse();
        return { status: res.status, json: await res.json(), headers: res.headers };
      }
      throw new Error('no OPT_OUT_REQUIRED');
    },
    details: { setting: 'inbound_number' },
  },
  {
    code: 'INVALID_SENDER_ID',
    what: 'a sender ID the account may not use',
    request: call(
      'POST',
      '/v1/sms/send/',
      json({ message: 'hi', recipients: ['+255754000111'], sender_id: 'NOPE' }),
    ),
    details: { sender_id: 'NOPE', approved: ['MIFUMO'], operator: null, recipients: null },
  },
  {
    code: 'INVALID_SENDER_ID',
    what: 'a sender ID not approved for a recipient’s operator',
    request: async () => {
      const { account, key } = await g.newAccount();
      await g.call('POST', '/v1/sender-ids/', { key, body: { sender_id: 'DUKA', use: 'transactional' } });
      await g.mifumo.admin.decideSenderId(
        account.id,
        'DUKA',
        { status: 'approved', reason: null, operators: ['vodacom'] },
        { gatewayWide: ['MIFUMO'], operators: ['vodacom', 'airtel'] },
      );
      return call('POST', '/v1/sms/send/', {
        key,
        body: { message: 'hi', recipients: ['+255754000111', '+255684000111'], sender_id: 'DUKA' },
      })();
    },
    details: {
      sender_id: 'DUKA',
      approved: ['MIFUMO'],
      operator: 'airtel',
      recipients: [{ phone: '+255684000111', operator: 'airtel', status: 'pending' }],
    },
  },
  {
    code: 'MESSAGE_TOO_LONG',
    what: 'a send over 160 characters',
    request: call('POST', '/v1/sms/send/', json({ message: 'x'.repeat(161), recipients: ['+255754000111'] })),
    details: {
      length: 161,
      max_length: 160,
      segments: 2,
      max_segments: null,
      encoding: 'GSM-7',
      field: 'message',
      contact_id: null,
    },
  },
  {
    code: 'MESSAGE_TOO_LONG',
    what: 'a campaign text too long because of a contact’s name',
    request: async () => {
      const created = await g.call('POST', '/v1/contacts/create/', {
        body: { name: 'N'.repeat(170), phone_number: '+255754000191' },
      });
      return call(
        'POST',
        '/v1/campaigns/',
        json({ name: 'C', message: 'Habari {name}!', contact_ids: [created.json.data.id] }),
      )();
    },
    details: expect.objectContaining({ field: 'name', contact_id: expect.stringMatching(/^ct_/) }),
  },
  {
    code: 'INVALID_CREDENTIALS',
    what: 'no key',
    request: call('GET', '/v1/sms/balance/', { key: null }),
    details: { hint: 'No API key: send it as Authorization: Bearer <key> or X-API-Key: <key>' },
  },
  {
    code: 'INVALID_CREDENTIALS',
    what: 'a wrong key',
    request: call('GET', '/v1/sms/balance/', { key: 'mk_live_nope' }),
    details: { hint: 'The provided API key is invalid or expired' },
  },
  {
    code: 'INVALID_CREDENTIALS',
    what: 'a dashboard request without a session',
    request: async () => reply(await dashboard('/keys', { method: 'POST' })),
  },
  {
    code: 'INSUFFICIENT_BALANCE',
    what: 'a send the balance does not cover',
    request: async () => {
      const poor = await g.newAccount(5);
      return call('POST', '/v1/sms/send/', {
        key: poor.key,
        body: { message: 'hi', recipients: ['+255754000111'] },
      })();
    },
    details: { required: 10, currency: 'TZS' },
  },
  {
    code: 'INSUFFICIENT_BALANCE',
    what: 'a campaign the balance does not cover',
    request: async () => {
      const poor = await g.newAccount(5);
      return call('POST', '/v1/campaigns/', {
        key: poor.key,
        body: { name: 'C', message: 'hi', recipients: ['+255754000111'] },
      })();
    },
    details: { required: 10, currency: 'TZS' },
  },
  {
    code: 'PERMISSION_DENIED',
    what: 'a read key on a write route',
    request: async () => {
      const reader = await g.newAccount(5000, ['read']);
      return call('POST', '/v1/sms/send/', {
        key: reader.key,
        body: { message: 'hi', recipients: ['+255754000111'] },
      })();
    },
    details: { required: 'write', granted: ['read'] },
  },
  {
    code: 'PERMISSION_DENIED',
    what: 'a dashboard sign-in with a key that is not admin',
    request: async () => {
      const writer = await g.newAccount(5000, ['read', 'write']);
      return reply(
        await dashboard('/sign-in', { method: 'POST', body: new URLSearchParams({ api_key: writer.key }) }),
      );
    },
    details: { required: 'admin', granted: ['read', 'write'] },
  },
  {
    code: 'PERMISSION_DENIED',
    what: 'a dashboard form posted from another site',
    request: async () =>
      reply(
        await dashboard('/sign-in', {
          method: 'POST',
          headers: { Origin: 'https://elsewhere.example' },
          body: new URLSearchParams({ api_key: g.key }),
        }),
      ),
    details: null,
  },
  {
    code: 'NOT_FOUND',
    what: 'an unknown route',
    request: call('GET', '/v1/nothing/'),
    details: null,
  },
  {
    code: 'NOT_FOUND',
    what: 'another account’s or no message',
    request: call('GET', '/v1/sms/status/msg_nope/'),
    details: null,
  },
  {
    code: 'METHOD_NOT_ALLOWED',
    what: 'a known path with another method',
    request: call('DELETE', '/v1/sms/send/'),
    details: { allowed: ['POST'] },
  },
  {
    code: 'CONFLICT',
    what: 'a contact whose number exists',
    request: async () => {
      await g.call('POST', '/v1/contacts/create/', { body: { name: 'A', phone_number: '+255754000192' } });
      return call('POST', '/v1/contacts/create/', json({ name: 'B', phone_number: '+255754000192' }))();
    },
    details: { reason: 'phone_number_taken', phone_number: '+255754000192' },
  },
  {
    code: 'CONFLICT',
    what: 'an Idempotency-Key reused with another body',
    request: async () => {
      const headers = { 'Idempotency-Key': 'same' };
      await g.call('POST', '/v1/sms/send/', {
        headers,
        body: { message: 'a', recipients: ['+255754000111'] },
      });
      return call('POST', '/v1/sms/send/', {
        headers,
        body: { message: 'b', recipients: ['+255754000111'] },
      })();
    },
    details: { reason: 'idempotency_key_reused', idempotency_key: 'same' },
  },
  {
    code: 'CONFLICT',
    what: 'revoking the last admin key',
    request: async () => {
      const only = await g.newAccount();
      const [key] = (await g.call('GET', '/v1/keys/', { key: only.key })).json.data.keys;
      return call('DELETE', `/v1/keys/${key.id}/`, { key: only.key })();
    },
    details: { reason: 'last_admin_key' },
  },
  {
    code: 'CONFLICT',
    what: 'cancelling a completed campaign',
    request: async () => {
      const made = await g.call('POST', '/v1/campaigns/', {
        body: { name: 'Done', message: 'hi', recipients: ['+255754000193'] },
      });
      await g.dispatchAndSettle();
      return call('POST', `/v1/campaigns/${made.json.data.id}/cancel/`)();
    },
    details: {
      reason: 'campaign_finished',
      campaign_id: expect.stringMatching(/^cmp_/),
      status: 'completed',
    },
  },
  {
    code: 'CONFLICT',
    what: 'asking again for a sender ID the account has',
    request: async () => {
      const { key } = await g.newAccount();
      const body = { sender_id: 'DUKA', use: 'promotional' };
      await g.call('POST', '/v1/sender-ids/', { key, body });
      return call('POST', '/v1/sender-ids/', { key, body })();
    },
    details: { reason: 'sender_id_exists', sender_id: 'DUKA', status: 'pending' },
  },
  {
    code: 'CONFLICT',
    what: 'asking for more sender IDs than an account may',
    request: async () => {
      const { account, key } = await g.newAccount();
      for (let i = 0; i < 100; i++) await g.mifumo.admin.addSenderId(account.id, `ID${i}`);
      return call('POST', '/v1/sender-ids/', { key, body: { sender_id: 'DUKA', use: 'transactional' } })();
    },
    details: { reason: 'too_many_sender_ids', max: 100 },
  },
  {
    code: 'PAYLOAD_TOO_LARGE',
    what: 'a body over maxBodyBytes',
    request: call('POST', '/v1/sms/send/', json('x'.repeat(1_048_577))),
    details: { max_bytes: 1_048_576 },
  },
  {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    what: 'a send that is not JSON',
    request: call('POST', '/v1/sms/send/', { body: 'hi', headers: { 'Content-Type': 'text/plain' } }),
    details: { content_type: 'text/plain' },
  },
  {
    code: 'RATE_LIMIT_EXCEEDED',
    what: 'a send over the SMS limit',
    request: async () => {
      const limited = await g.newAccount();
      await g.mifumo.admin.setLimits(limited.account.id, { smsPerMinute: 2 });
      return call('POST', '/v1/sms/send/', {
        key: limited.key,
        body: { message: 'hi', recipients: ['+255754000111', '+255754000112', '+255754000113'] },
      })();
    },
    details: {
      limit: 'sms_per_minute',
      max: 2,
      window_seconds: 60,
      requested: 3,
      remaining: 2,
      retry_after_seconds: null,
    },
  },
  {
    code: 'RATE_LIMIT_EXCEEDED',
    what: 'wrong keys past the failed-authentication throttle',
    request: async () => {
      for (let i = 0; i < 100; i++) {
        const r = await call('GET', '/v1/sms/balance/', { key: 'mk_live_guess' })();
        if (r.status === 429) return r;
      }
      throw new Error('never throttled');
    },
    details: expect.objectContaining({ limit: 'auth_failures_per_minute' }),
  },
  {
    code: 'NOT_READY',
    what: 'GET /readyz with no carrier that takes traffic',
    request: async () => {
      const fake = createFakeCarrier({ id: 'dev' });
      const down = await createTestGateway({
        adapter: {
          id: 'dev',
          type: 'fake',
          submit: (m, signal) => fake.submit(m, signal),
          status: () => ({ state: 'down' }),
        },
      });
      try {
        const res = await down.mifumo.fetch(new Request('http://127.0.0.1:8001/readyz'));
        return { status: res.status, json: await res.json(), headers: res.headers };
      } finally {
        await down.close();
      }
    },
  },
  {
    code: 'INTERNAL_ERROR',
    what: 'a database that is gone',
    request: async () => {
      const broken = await createTestGateway();
      await broken.database.close();
      try {
        return { ...(await broken.call('GET', '/v1/sms/balance/')), method: 'GET', path: '/v1/sms/balance/' };
      } finally {
        await broken.mifumo.close();
      }
    },
    details: null,
  },
];

describe('error details: one documented shape per code', () => {
  it.each(CASES.map((c) => [c.code, c.what, c] as const))('%s: %s', async (code, _, c) => {
    const r = await c.request();
    expect([r.status, r.json.error_code], JSON.stringify(r.json)).toEqual([ERROR_CODES[code], code]);
    expect(Object.keys(r.json).sort()).toEqual(['data', 'details', 'error_code', 'message', 'success']);
    const parsed = ERROR_DETAILS[code].safeParse(r.json.details);
    expect(parsed.error?.issues ?? [], JSON.stringify(r.json.details)).toEqual([]);
    if ('details' in c) expect(r.json.details).toEqual(c.details);
    // An API route's refusal is among the codes the OpenAPI document lists for it.
    const documented = r.path === undefined ? null : documentedCodes(r.method!, r.path);
    if (documented) expect(documented, `${r.method} ${r.path}`).toContain(code);
  });

  it('drives every code through a request (HEADERS_TOO_LARGE only Node’s parser answers: runtime-node tests it)', () => {
    const driven = new Set(CASES.map((c) => c.code));
    expect(Object.keys(ERROR_CODES).filter((code) => !driven.has(code as ErrorCode))).toEqual([
      'HEADERS_TOO_LARGE',
    ]);
  });
});
