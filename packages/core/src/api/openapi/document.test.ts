import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestGateway, type TestGateway } from '../../../test/harness';
import { ERROR_DETAILS } from '../../error-details';
import { ERROR_CODES, ERROR_MEANINGS, type ErrorCode } from '../../errors';
import { openApiDocument } from './document';
import { OPERATIONS } from './operations';

let g: TestGateway;
const OPERATOR_KEY = 'mk_op_documenttest0123456789abcdef';
beforeAll(async () => {
  g = await createTestGateway({ operatorKey: OPERATOR_KEY });
});
afterAll(() => g.close());

describe('the OpenAPI document', () => {
  it('is served at /api/integration/openapi.json and passes an OpenAPI 3.1 validator', async () => {
    const res = await g.mifumo.fetch(new Request('http://x/api/integration/openapi.json'));
    expect(res.status).toBe(200);
    const document = await res.json();
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('describes every route the app has, and no route it does not', () => {
    // A file's path (`…/ledger.csv`) is documented without the slash every path also answers with.
    const documented = new Set(
      OPERATIONS.map((op) => `${op.method.toUpperCase()} ${op.path.replace(/\/?$/, '/')}`),
    );
    const served = new Set(
      g.mifumo.app.routes
        .filter(
          (r) =>
            ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].includes(r.method) && /^\/(v1|operator)\//.test(r.path),
        )
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}').replace(/\/?$/, '/')}`),
    );
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !served.has(r))).toEqual([]);
  });

  it('states the limits on a request: body size, nesting depth, import rows', () => {
    const { description } = openApiDocument().info;
    expect(description).toContain('JSON nested at most 32 levels deep');
    expect(description).toContain('PAYLOAD_TOO_LARGE');
    expect(description).toContain('contacts.maxImportRows');
  });

  it('lists every error code with its HTTP status', () => {
    const document = openApiDocument();
    expect(document.components.schemas.ErrorCodes.properties).toEqual(
      Object.fromEntries(
        (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => [
          code,
          { const: ERROR_CODES[code], description: ERROR_MEANINGS[code] },
        ]),
      ),
    );
    const send = document.paths['/v1/sms/send/']!.post as {
      responses: Record<string, { description: string }>;
    };
    expect(Object.keys(send.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '402',
      '403',
      '404',
      '409',
      '413',
      '415',
      '429',
      '500',
    ]);
    expect(send.responses['402']!.description).toBe('INSUFFICIENT_BALANCE');
  });

  it('shows each error code’s details in the shape ERROR_DETAILS gives it', () => {
    const schemas = openApiDocument().components.schemas as unknown as Record<
      string,
      { properties: { details: unknown } }
    >;
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      const { $schema: _, ...details } = z.toJSONSchema(ERROR_DETAILS[code]) as Record<string, unknown>;
      expect(schemas[`Error_${code}`]?.properties.details, code).toEqual(details);
    }
  });

  it('matches what the API answers: each operation’s real response parses with its documented data schema', async () => {
    const call = async (method: string, path: string, body?: unknown) =>
      (await g.call(method, path, { body, ...(path.startsWith('/operator/') ? { key: OPERATOR_KEY } : {}) }))
        .json;
    const sent = await call('POST', '/v1/sms/send/', {
      message: 'Hi “there”',
      recipients: ['+255754000111'],
      smart_encoding: true,
    });
    await g.dispatchAndSettle();
    const contact = await call('POST', '/v1/contacts/create/', {
      name: 'A',
      phone_number: '0754000111',
      tags: ['x'],
    });
    const segment = await call('POST', '/v1/contacts/segments/create/', {
      name: 'S',
      criteria: { tags: ['x'] },
    });
    const key = await call('POST', '/v1/keys/', { name: 'k', permissions: ['read'] });
    const campaign = await call('POST', '/v1/campaigns/', {
      name: 'C',
      message: 'Habari {first_name|mteja}',
      recipients: ['+255754000113'],
      schedule_time: new Date(Date.now() + 3_600_000).toISOString(), // still there to cancel below
    });
    await g.call('PUT', '/v1/webhooks/', { body: { url: 'https://hooks.example.co.tz/x' } });
    await call('POST', '/v1/sms/send/', { message: 'Hi', recipients: ['+255754000112'] });
    await g.dispatchAndSettle();
    const deliveries = await call('GET', '/v1/webhooks/deliveries/');
    await g.mifumo.admin.addNumber(
      { accountId: g.account.id, number: '15678' },
      { defaultRegion: 'TZ', carrierIds: ['dev'], allowPrivateNetworks: false },
    );
    await g.carrier.receive({ from: '+255754000111', to: '15678', text: 'Habari' });
    const inbound = await call('GET', '/v1/sms/inbound/');
    const ids: Record<string, string> = {
      message_id: sent.data.message_id,
      segment_id: segment.data.id,
      contact_id: contact.data.id,
      campaign_id: campaign.data.id,
      key_id: key.data.id,
      delivery_id: deliveries.data.deliveries[0].id,
      inbound_id: inbound.data.messages[0].id,
      phone_number: '%2B255754000199',
    };
    const answers: Record<string, unknown> = {
      'POST /v1/sms/send/': sent,
      'POST /v1/contacts/create/': contact,
      'POST /v1/contacts/segments/create/': segment,
      'POST /v1/keys/': key,
      'POST /v1/campaigns/': campaign,
    };
    for (const op of OPERATIONS) {
      const name = `${op.method.toUpperCase()} ${op.path}`;
      if (op.auth === 'callback') continue; // the callback route has its own tests (it needs a callback carrier)
      const path =
        op.path.replace(/\{(\w+)\}/g, (_, p: string) => ids[p]!) +
        (op.exampleQuery ? `?${op.exampleQuery}` : '');
      if (op.csv) {
        const res = await g.mifumo.app.request(path, { headers: { Authorization: `Bearer ${g.key}` } });
        expect([res.status, res.headers.get('content-type')], name).toEqual([200, 'text/csv; charset=utf-8']);
        expect((await res.text()).split('\r\n')[0], name).toBe(Object.keys(op.csv.columns).join(','));
        continue;
      }
      const body = op.example ?? (op.body ? {} : undefined);
      const answer = (answers[name] ?? (await call(op.method.toUpperCase(), path, body))) as {
        success: boolean;
        message: string;
        data: unknown;
      };
      expect(answer.success, `${name}: ${JSON.stringify(answer)}`).toBe(true);
      expect(answer.message, name).toBe(op.message);
      const parsed = op.data.safeParse(answer.data);
      expect(parsed.error?.issues ?? [], name).toEqual([]);
    }
  });
});
