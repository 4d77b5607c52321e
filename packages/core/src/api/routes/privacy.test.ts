import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/databases';
import { createTestGateway, type TestGateway } from '../../../test/harness';

const PHONE = '+255754000501';

describe.each(ENGINES)('GET /v1/privacy/subjects/{phone_number}/ on %s', (_engine, open) => {
  let g: TestGateway;
  let drop = async () => {};
  beforeAll(async () => {
    const db = await open();
    drop = db.drop;
    g = await createTestGateway({
      storage: db.storage,
      config: { webhooks: { allowPrivateNetworks: true } },
    });
  });
  afterAll(async () => {
    await g.close();
    await drop();
  });

  it('gives everything the account holds about the number, in any form of it, and nothing of another number or account', async () => {
    await g.call('PUT', '/v1/webhooks/', { body: { url: 'http://127.0.0.1:9/hook' } });
    const contact = await g.call('POST', '/v1/contacts/create/', {
      body: { name: 'Asha', phone_number: '0754000501' },
    });
    expect(contact.status, JSON.stringify(contact.json)).toBe(201);
    const send = await g.call('POST', '/v1/sms/send/', {
      body: { message: 'Karibu Asha', recipients: [PHONE, '+255754000502'], sender_id: 'MIFUMO' },
    });
    expect(send.status).toBe(200);
    await g.dispatchAndSettle();
    await g.call('POST', '/v1/opt-outs/', { body: { phone_number: PHONE, reason: 'asked by phone' } });
    await g.mifumo.receive('dev', { from: PHONE, to: '15000', text: 'Asante' });
    const other = await g.newAccount();
    await g.call('POST', '/v1/contacts/create/', {
      key: other.key,
      body: { name: 'Not ours', phone_number: PHONE },
    });

    for (const form of [PHONE, '0754000501', encodeURIComponent(PHONE)]) {
      const r = await g.call('GET', `/v1/privacy/subjects/${form}/`);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      const d = r.json.data;
      expect(d.phone_number).toBe(PHONE);
      expect(d.contact).toMatchObject({ name: 'Asha', phone_number: PHONE, is_active: true });
      expect(d.messages).toEqual([
        expect.objectContaining({
          message_id: send.json.data.message_id,
          message: 'Karibu Asha',
          status: 'delivered',
          sender_id: 'MIFUMO',
          currency: 'TZS',
        }),
      ]);
      expect(d.opt_out_history).toEqual([
        expect.objectContaining({ action: 'opted_out', reason: 'asked by phone' }),
      ]);
      expect(d.webhook_events.map((e: { event: string }) => e.event).sort()).toEqual(['delivered', 'sent']);
      expect(d.truncated).toEqual({
        messages: false,
        inbound: false,
        opt_out_history: false,
        webhook_events: false,
      });
    }
  });

  it('refuses a key without admin, and a number that is not one', async () => {
    const reader = await g.call('POST', '/v1/keys/', { body: { name: 'r', permissions: ['read'] } });
    const refused = await g.call('GET', `/v1/privacy/subjects/${PHONE}/`, { key: reader.json.data.key });
    expect([refused.status, refused.json.error_code]).toEqual([403, 'PERMISSION_DENIED']);
    const bad = await g.call('GET', '/v1/privacy/subjects/12/');
    expect([bad.status, bad.json.error_code]).toEqual([400, 'INVALID_PHONE']);
    const nobody = await g.call('GET', '/v1/privacy/subjects/+255754000599/');
    expect(nobody.json.data).toMatchObject({
      contact: null,
      messages: [],
      inbound: [],
      opt_out_history: [],
      webhook_events: [],
    });
  });
});
