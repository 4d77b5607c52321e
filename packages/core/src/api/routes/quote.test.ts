import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../test/harness';

let g: TestGateway;
beforeEach(async () => {
  g = await createTestGateway({ config: { messages: { maxLength: null, maxSegments: 5 } } });
});
afterEach(() => g.close());

const to = ['+255754000111', '+255681234567'];

describe('POST /v1/sms/quote', () => {
  it('prices a send without storing or charging anything', async () => {
    const r = await g.call('POST', '/v1/sms/quote/', { body: { message: 'a'.repeat(200), recipients: to } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      success: true,
      data: {
        recipients: to,
        encoding: 'GSM-7',
        units: 200,
        segments: 2,
        non_gsm_characters: [],
        recipient_costs: [
          { phone: '+255754000111', operator: 'vodacom', cost: 20 },
          { phone: '+255681234567', operator: 'airtel', cost: 20 },
        ],
        cost: 40,
        currency: 'TZS',
        balance: 5000,
        balance_sufficient: true,
      },
    });
    expect(r.json.data.parts.map((p: string) => p.length)).toEqual([153, 47]);
    expect((await g.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(5000);
    expect((await g.call('GET', '/v1/sms/delivery-reports/')).json.data.pagination.total).toBe(0);
  });

  it('says why a message costs more: the characters that forced UCS-2', async () => {
    const r = await g.call('POST', '/v1/sms/quote/', {
      body: { message: 'Bei “nafuu” sana', recipients: to },
    });
    expect(r.json.data).toMatchObject({
      encoding: 'UCS-2',
      non_gsm_characters: ['“', '”'],
      replacements: [],
    });
  });

  it('says when the balance does not cover it', async () => {
    const poor = await g.newAccount(15);
    const r = await g.call('POST', '/v1/sms/quote/', {
      key: poor.key,
      body: { message: 'hi', recipients: to },
    });
    expect(r.json.data).toMatchObject({ cost: 20, balance: 15, balance_sufficient: false });
  });

  it('validates exactly like send', async () => {
    const cases: [unknown, string][] = [
      [{ message: 'hi', recipients: ['12345'] }, 'INVALID_PHONE'],
      [{ message: 'hi', recipients: to, sender_id: 'NOPE' }, 'INVALID_SENDER_ID'],
      [{ message: 'a'.repeat(800), recipients: to }, 'MESSAGE_TOO_LONG'],
      [{ recipients: to }, 'VALIDATION_ERROR'],
    ];
    for (const [body, code] of cases)
      expect((await g.call('POST', '/v1/sms/quote/', { body })).json.error_code).toBe(code);
  });

  it('a read key may quote; it may not send', async () => {
    const reader = await g.mifumo.admin.createKey({
      accountId: g.account.id,
      name: 'r',
      permissions: ['read'],
    });
    expect(
      (await g.call('POST', '/v1/sms/quote/', { key: reader.key, body: { message: 'hi', recipients: to } }))
        .status,
    ).toBe(200);
    expect(
      (await g.call('POST', '/v1/sms/send/', { key: reader.key, body: { message: 'hi', recipients: to } }))
        .status,
    ).toBe(403);
  });
});

describe('smart encoding', () => {
  const text = 'It’s “great” – karibu…';

  it('per request: replaces look-alikes, reports them, and charges GSM-7', async () => {
    const q = await g.call('POST', '/v1/sms/quote/', {
      body: { message: text, recipients: to, smart_encoding: true },
    });
    expect(q.json.data).toMatchObject({ encoding: 'GSM-7', parts: ['It\'s "great" - karibu...'] });
    expect(q.json.data.replacements).toHaveLength(5);
    const s = await g.call('POST', '/v1/sms/send/', {
      body: { message: text, recipients: to, smart_encoding: true },
    });
    expect(s.json.data).toMatchObject({ encoding: 'GSM-7', cost: 20 });
    await g.dispatchAndSettle();
    expect(g.carrier.sent[0]).toMatchObject({ text: 'It\'s "great" - karibu...', encoding: 'GSM-7' });
  });

  it('per account, with the request able to turn it off', async () => {
    await g.mifumo.admin.setSmartEncoding(g.account.id, true);
    const fresh = await g.mifumo.admin.createKey({
      accountId: g.account.id,
      name: 'k',
      permissions: ['admin'],
    });
    const on = await g.call('POST', '/v1/sms/quote/', {
      key: fresh.key,
      body: { message: text, recipients: to },
    });
    expect(on.json.data.encoding).toBe('GSM-7');
    const off = await g.call('POST', '/v1/sms/quote/', {
      key: fresh.key,
      body: { message: text, recipients: to, smart_encoding: false },
    });
    expect(off.json.data.encoding).toBe('UCS-2');
  });
});

describe('national language shift tables', () => {
  it('are used when every carrier of the route declares them, and reach the carrier', async () => {
    const t = await createTestGateway({ carrier: { nationalLanguages: ['turkish'] } });
    try {
      const body = { message: 'Çok güzel, teşekkürler!', recipients: ['+255754000111'] };
      const q = await t.call('POST', '/v1/sms/quote/', { body });
      expect(q.json.data).toMatchObject({ encoding: 'GSM-7', national_language: 'turkish', segments: 1 });
      const s = await t.call('POST', '/v1/sms/send/', { body });
      expect(s.json.data).toMatchObject({ encoding: 'GSM-7', national_language: 'turkish' });
      await t.dispatchAndSettle();
      expect(t.carrier.sent[0]).toMatchObject({ encoding: 'GSM-7', nationalLanguage: 'turkish' });
    } finally {
      await t.close();
    }
  });

  it('are not used when the carrier does not declare them', async () => {
    const q = await g.call('POST', '/v1/sms/quote/', {
      body: { message: 'Çok güzel, teşekkürler!', recipients: to },
    });
    expect(q.json.data).toMatchObject({ encoding: 'UCS-2', national_language: null });
  });
});
