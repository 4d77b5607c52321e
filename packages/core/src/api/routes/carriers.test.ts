import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/databases';
import { createTestGateway } from '../../../test/harness';
import { type CarrierAdapter, type CarrierContext, CarrierError } from '../../carriers/contract';

/** The context the gateway started the carrier with: what a push carrier (SMPP) reports through. */
let pushed: CarrierContext | null = null;

/** A carrier that reports by callback: `{ "receipts": [[id, status]], "mo": [[id, from, text]] }`. */
const callbackCarrier: CarrierAdapter = {
  id: 'agg',
  type: 'callback-test',
  callbackToken: 's3cret-token',
  capabilities: { reports: 'callback' },
  start(ctx) {
    pushed = ctx;
  },
  async submit() {
    return { carrierMessageIds: ['agg-1'] };
  },
  async handleCallback(request) {
    const body = (await request.json().catch(() => null)) as {
      receipts?: [string, 'delivered' | 'failed'][];
      mo?: [string, string, string][];
    } | null;
    if (body === null) throw new CarrierError('not JSON', { retryable: false });
    return {
      reports: (body.receipts ?? []).map(([carrierMessageId, status]) => ({ carrierMessageId, status })),
      inbound: (body.mo ?? []).map(([carrierMessageId, from, text]) => ({
        carrierMessageId,
        from,
        to: '15577',
        text,
      })),
    };
  },
};

const PATH = '/v1/carriers/agg/callback/';

describe('POST /v1/carriers/{carrierId}/callback/', () => {
  it('applies receipts and stores inbound messages once, with the token as ?token= or Bearer', async () => {
    const g = await createTestGateway({
      adapter: callbackCarrier,
      config: { carriers: [{ id: 'agg', type: 'x' }] },
    });
    try {
      const sent = await g.call('POST', '/v1/sms/send/', {
        body: { message: 'hi', recipients: ['+255754000111'] },
      });
      await g.mifumo.dispatchDue();
      const body = { receipts: [['agg-1', 'delivered']], mo: [['mo-1', '+255754000111', 'NDIYO']] };
      const first = await g.call('POST', `${PATH}?token=s3cret-token`, { key: null, body });
      expect(first.status).toBe(200);
      expect(first.json).toMatchObject({
        success: true,
        data: { reports: { applied: 1 }, inbound: { stored: 1, duplicate: 0 } },
      });
      const again = await g.call('POST', PATH, {
        key: null,
        body,
        headers: { Authorization: 'Bearer s3cret-token' },
      });
      expect(again.json.data).toMatchObject({
        reports: { duplicate: 1 },
        inbound: { stored: 0, duplicate: 1 },
      });
      const status = await g.call('GET', `/v1/sms/status/${sent.json.data.message_id}/`);
      expect(status.json.data.status).toBe('delivered');
      const inbound = await g.database.db.selectFrom('inbound_messages').selectAll().execute();
      expect(inbound).toMatchObject([
        { carrier_id: 'agg', sender: '+255754000111', recipient: '15577', body: 'NDIYO' },
      ]);
    } finally {
      await g.close();
    }
  });

  it.each([
    ['no token', PATH, {}],
    ['a wrong token', `${PATH}?token=guess`, {}],
    ['a wrong bearer', PATH, { Authorization: 'Bearer guess' }],
    ['an API key instead', PATH, 'api-key'],
  ] as const)('with %s: 401 and nothing changes', async (_name, path, headers) => {
    const g = await createTestGateway({
      adapter: callbackCarrier,
      config: { carriers: [{ id: 'agg', type: 'x' }] },
    });
    try {
      await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients: ['+255754000111'] } });
      await g.mifumo.dispatchDue();
      const reply = await g.call('POST', path, {
        key: headers === 'api-key' ? g.key : null,
        body: { receipts: [['agg-1', 'failed']], mo: [['mo-1', '+255754000111', 'x']] },
        headers: headers === 'api-key' ? {} : headers,
      });
      expect(reply.status).toBe(401);
      expect(reply.json).toMatchObject({ success: false, error_code: 'INVALID_CREDENTIALS' });
      const r = await g.database.db.selectFrom('recipients').select('status').executeTakeFirstOrThrow();
      expect(r.status).toBe('sent');
      expect(await g.database.db.selectFrom('inbound_messages').selectAll().execute()).toEqual([]);
    } finally {
      await g.close();
    }
  });

  it('404 for a carrier that takes no callbacks; 400 for a body its adapter cannot read', async () => {
    const g = await createTestGateway({
      adapter: callbackCarrier,
      config: { carriers: [{ id: 'agg', type: 'x' }] },
    });
    try {
      const missing = await g.call('POST', '/v1/carriers/dev/callback/?token=x', { key: null, body: {} });
      expect(missing.status).toBe(404);
      expect(missing.json.error_code).toBe('NOT_FOUND');
      const garbled = await g.call('POST', `${PATH}?token=s3cret-token`, { key: null, body: '{nope' });
      expect(garbled.status).toBe(400);
      expect(garbled.json).toMatchObject({ error_code: 'VALIDATION_ERROR' });
    } finally {
      await g.close();
    }
  });
});

/** A gateway on `open`'s database whose one message was submitted to the callback carrier (as `agg-1`). */
async function sentThroughCallbackCarrier(open: (typeof ENGINES)[number][1]) {
  const db = await open();
  const g = await createTestGateway({
    storage: db.storage,
    adapter: callbackCarrier,
    config: { carriers: [{ id: 'agg', type: 'x' }] },
  });
  await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients: ['+255754000111'] } });
  await g.mifumo.dispatchDue();
  return { g, db };
}

describe.each(ENGINES)('carrier text with NUL or a lone surrogate, on %s', (_name, open) => {
  it('a callback carrying it is refused 400 naming the field, and nothing is applied or stored', async () => {
    const { g, db } = await sentThroughCallbackCarrier(open);
    try {
      const reply = await g.call('POST', `${PATH}?token=s3cret-token`, {
        key: null,
        body: { receipts: [['agg-1', 'delivered']], mo: [['mo-1', '+255754000111', 'a\u0000b']] },
      });
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject({
        error_code: 'VALIDATION_ERROR',
        details: [{ field: 'inbound.0.text' }],
      });
      expect(
        (await g.database.db.selectFrom('recipients').select('status').executeTakeFirstOrThrow()).status,
      ).toBe('sent');
      expect(await g.database.db.selectFrom('inbound_messages').selectAll().execute()).toEqual([]);
    } finally {
      await g.close();
      await db.drop();
    }
  });

  it('pushed by a carrier (SMPP), it is stored with U+FFFD instead, so the carrier is not refused forever', async () => {
    const { g, db } = await sentThroughCallbackCarrier(open);
    try {
      expect(await pushed!.inbound({ from: '+255754000111', to: '15577', text: 'a\u0000b\ud800' })).toBe(
        'stored',
      );
      expect(
        await pushed!.report({ carrierMessageId: 'agg-1', status: 'failed', errorMessage: 'bad\u0000' }),
      ).toBe('applied');
      const [mo] = await g.database.db.selectFrom('inbound_messages').select('body').execute();
      expect(mo!.body).toBe('a\ufffdb\ufffd');
      const r = await g.database.db
        .selectFrom('recipients')
        .select(['status', 'error_message'])
        .executeTakeFirstOrThrow();
      expect(r).toEqual({ status: 'failed', error_message: 'bad\ufffd' });
    } finally {
      await g.close();
      await db.drop();
    }
  });
});
