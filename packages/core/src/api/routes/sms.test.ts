import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/databases';
import { createTestGateway, manualClock, type TestGateway } from '../../../test/harness';

let g: TestGateway;
beforeEach(async () => {
  g = await createTestGateway();
});
afterEach(() => g.close());

describe('POST /v1/sms/send', () => {
  it('answers the seed sample request with the seed fields plus segments, encoding and per-recipient cost', async () => {
    const r = await g.call('POST', '/v1/sms/send/', {
      body: { message: 'Hello from Mifumo SMS!', recipients: ['+255123456789'], sender_id: 'MIFUMO' },
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      success: true,
      message: 'SMS sent successfully',
      data: {
        recipients: ['+255123456789'],
        status: 'queued',
        cost: 10,
        currency: 'TZS',
        segments: 1,
        encoding: 'GSM-7',
        recipient_costs: [{ phone: '+255123456789', cost: 10 }],
      },
      error_code: null,
      details: null,
    });
    expect(r.json.data.message_id).toMatch(/^msg_[0-9A-Za-z]{22}$/);
  });

  it('accepts the seed body with two recipients and a past schedule_time, dispatching at once', async () => {
    const r = await g.call('POST', '/v1/sms/send/', {
      body: {
        message: 'Hello from Mifumo SMS!',
        recipients: ['+255123456789', '+255987654321'],
        sender_id: 'MIFUMO',
        schedule_time: '2024-01-01T10:00:00Z',
      },
    });
    expect(r.json.data).toMatchObject({ status: 'queued', cost: 20, schedule_time: null });
  });

  it('normalises national forms, collapses duplicates and defaults the sender ID', async () => {
    const r = await g.call('POST', '/v1/sms/send', {
      body: {
        message: 'Habari',
        recipients: ['0754000111', '255754000111', '+255 754 000 111', '0712345678'],
      },
    });
    expect(r.json.data.recipients).toEqual(['+255754000111', '+255712345678']);
    expect(r.json.data.sender_id).toBe('MIFUMO');
    expect(r.json.data.cost).toBe(20);
  });

  it('goes queued → sent → delivered, with timestamps, and reports the delivery', async () => {
    const sent = await g.call('POST', '/v1/sms/send/', {
      body: { message: 'Hi', recipients: ['+255754000111'] },
    });
    const id = sent.json.data.message_id;
    let st = await g.call('GET', `/v1/sms/status/${id}/`);
    expect(st.json.data).toMatchObject({ message_id: id, status: 'queued', delivery_time: null });
    await g.dispatchAndSettle();
    st = await g.call('GET', `/v1/sms/status/${id}/`);
    expect(st.json).toMatchObject({ success: true, message: 'Message status retrieved successfully' });
    expect(st.json.data).toMatchObject({
      status: 'delivered',
      recipients: [{ phone: '+255754000111', status: 'delivered' }],
    });
    expect(Date.parse(st.json.data.delivery_time)).not.toBeNaN();
    expect(Date.parse(st.json.data.recipients[0].sent_at)).not.toBeNaN();
    expect(g.carrier.sent).toHaveLength(1);
    expect(g.carrier.sent[0]).toMatchObject({
      to: '+255754000111',
      from: 'MIFUMO',
      text: 'Hi',
      parts: ['Hi'],
    });
  });

  it('charges segments × price for each recipient: a 2-segment UCS-2 message', async () => {
    const r = await g.call('POST', '/v1/sms/send/', {
      body: { message: '😀'.repeat(40), recipients: ['+255754000111'] },
    });
    expect(r.json.data).toMatchObject({ encoding: 'UCS-2', segments: 2, cost: 20 });
    const b = await g.call('GET', '/v1/sms/balance/');
    expect(b.json.data.balance).toBe(4980);
  });

  it('INVALID_PHONE names each bad entry and stores nothing', async () => {
    const r = await g.call('POST', '/v1/sms/send/', {
      body: { message: 'hi', recipients: ['+255754000111', '12345', '+255 712 ABC 678'] },
    });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ success: false, data: null, error_code: 'INVALID_PHONE' });
    expect(r.json.details.invalid.map((i: { input: string }) => i.input)).toEqual([
      '12345',
      '+255 712 ABC 678',
    ]);
    expect((await g.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(5000);
    expect((await g.call('GET', '/v1/sms/delivery-reports/')).json.data.pagination.total).toBe(0);
  });

  it('MESSAGE_TOO_LONG over 160 characters by default', async () => {
    expect(
      (
        await g.call('POST', '/v1/sms/send/', {
          body: { message: 'a'.repeat(160), recipients: ['+255754000111'] },
        })
      ).status,
    ).toBe(200);
    const r = await g.call('POST', '/v1/sms/send/', {
      body: { message: 'a'.repeat(161), recipients: ['+255754000111'] },
    });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      error_code: 'MESSAGE_TOO_LONG',
      details: { length: 161, max_length: 160, segments: 2 },
    });
  });

  it('INVALID_SENDER_ID for one not approved for the account, and for a malformed one', async () => {
    for (const sender_id of ['NOTAPPROVED', 'WAY-TOO-LONG-ID']) {
      const r = await g.call('POST', '/v1/sms/send/', {
        body: { message: 'hi', recipients: ['+255754000111'], sender_id },
      });
      expect(r.status).toBe(400);
      expect(r.json.error_code).toBe('INVALID_SENDER_ID');
    }
    await g.mifumo.admin.addSenderId(g.account.id, 'DUKA');
    const fresh = await g.mifumo.admin.createKey({
      accountId: g.account.id,
      name: 'k',
      permissions: ['write'],
    });
    const ok = await g.call('POST', '/v1/sms/send/', {
      key: fresh.key,
      body: { message: 'hi', recipients: ['+255754000111'], sender_id: 'DUKA' },
    });
    expect(ok.json.data.sender_id).toBe('DUKA');
  });

  it('INSUFFICIENT_BALANCE leaves the balance and the message list untouched', async () => {
    const poor = await g.newAccount(5);
    const r = await g.call('POST', '/v1/sms/send/', {
      key: poor.key,
      body: { message: 'hi', recipients: ['+255754000111'] },
    });
    expect(r.status).toBe(402);
    expect(r.json).toMatchObject({
      success: false,
      error_code: 'INSUFFICIENT_BALANCE',
      details: { required: 10 },
    });
    expect((await g.call('GET', '/v1/sms/balance/', { key: poor.key })).json.data.balance).toBe(5);
    expect(
      (await g.call('GET', '/v1/sms/delivery-reports/', { key: poor.key })).json.data.pagination.total,
    ).toBe(0);
  });

  it.each([
    ['message missing', { recipients: ['+255754000111'] }, 'message'],
    ['empty message', { message: '', recipients: ['+255754000111'] }, 'message'],
    ['recipients not an array', { message: 'hi', recipients: '+255754000111' }, 'recipients'],
    ['no recipients', { message: 'hi', recipients: [] }, 'recipients'],
    ['bad webhook', { message: 'hi', recipients: ['+255754000111'], webhook_url: 'ftp://x' }, 'webhook_url'],
  ])('VALIDATION_ERROR: %s', async (_name, body, field) => {
    const r = await g.call('POST', '/v1/sms/send/', { body });
    expect(r.status).toBe(400);
    expect(r.json.error_code).toBe('VALIDATION_ERROR');
    expect(r.json.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it.each([
    '2024-01-01T10:00:00',
    'tomorrow',
    '2030-01-01T10:00:00Z',
    '2026-02-30T10:00:00Z',
    '2026-03-01T24:00:00Z',
  ])('VALIDATION_ERROR for schedule_time %s', async (t) => {
    const r = await g.call('POST', '/v1/sms/send/', {
      body: { message: 'hi', recipients: ['+255754000111'], schedule_time: t },
    });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error_code: 'VALIDATION_ERROR', details: [{ field: 'schedule_time' }] });
  });

  it('UNSUPPORTED_DESTINATION names each number with no price (outside the default region), before anything is charged', async () => {
    const body = { message: 'hi', recipients: ['+255754000111', '+254712345678', '+14155552671'] };
    for (const path of ['/v1/sms/send/', '/v1/sms/quote/']) {
      const r = await g.call('POST', path, { body });
      expect(r.status, path).toBe(400);
      expect(r.json).toMatchObject({
        error_code: 'UNSUPPORTED_DESTINATION',
        details: { phones: ['+254712345678', '+14155552671'] },
      });
      expect(r.json.message).toContain('+254712345678');
    }
    expect((await g.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(5000);
    expect((await g.call('GET', '/v1/sms/messages/')).json.data.pagination.total).toBe(0);
    const priced = await createTestGateway({ config: { pricing: { prefixes: { '+254': 25 } } } });
    try {
      const r = await priced.call('POST', '/v1/sms/send/', {
        body: { message: 'hi', recipients: ['+255754000111', '+254712345678'] },
      });
      expect(r.status).toBe(200);
      expect(r.json.data.cost).toBe(35);
      expect((await priced.call('POST', '/v1/sms/send/', { body })).json.details).toEqual({
        phones: ['+14155552671'],
      });
    } finally {
      await priced.close();
    }
  });

  it('NO_ROUTE when no configured route covers a recipient, before anything is charged', async () => {
    const routed = await createTestGateway({
      config: { routes: [{ prefixes: ['+255'], carriers: ['dev'] }], pricing: { prefixes: { '+1': 30 } } },
    });
    try {
      const r = await routed.call('POST', '/v1/sms/send/', {
        body: { message: 'hi', recipients: ['+255754000111', '+14155552671'] },
      });
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ error_code: 'NO_ROUTE', details: { phones: ['+14155552671'] } });
      expect((await routed.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(5000);
    } finally {
      await routed.close();
    }
  });

  it('refuses more recipients than the limit', async () => {
    const recipients = Array.from({ length: 10_001 }, (_, i) => `+2557540${String(i).padStart(5, '0')}`);
    const r = await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients } });
    expect(r.json).toMatchObject({
      error_code: 'VALIDATION_ERROR',
      details: [{ field: 'recipients', message: 'has more than 10000 numbers' }],
    });
  });

  it('stores a 1000-recipient send in one go and dispatches all of it', async () => {
    const big = await g.newAccount(20_000);
    const recipients = Array.from({ length: 1000 }, (_, i) => `+25575400${String(i).padStart(4, '0')}`);
    const r = await g.call('POST', '/v1/sms/send/', { key: big.key, body: { message: 'hi', recipients } });
    expect(r.json.data).toMatchObject({ cost: 10_000 });
    expect(await g.mifumo.dispatchDue()).toBe(1000);
    expect(g.carrier.sent).toHaveLength(1000);
  });
});

describe('scheduling', () => {
  it('a future schedule_time waits, then is dispatched when due', async () => {
    const clock = manualClock();
    const s = await createTestGateway({ clock });
    try {
      const at = new Date(clock.now() + 3_600_000).toISOString();
      const r = await s.call('POST', '/v1/sms/send/', {
        body: { message: 'later', recipients: ['+255754000111'], schedule_time: at },
      });
      expect(r.json).toMatchObject({
        message: 'SMS scheduled successfully',
        data: { status: 'scheduled', schedule_time: at },
      });
      expect(await s.mifumo.dispatchDue()).toBe(0);
      expect((await s.call('GET', `/v1/sms/status/${r.json.data.message_id}`)).json.data.status).toBe(
        'scheduled',
      );
      clock.advance(3_600_000);
      expect(await s.mifumo.dispatchDue()).toBe(1);
      await s.settle();
      expect((await s.call('GET', `/v1/sms/status/${r.json.data.message_id}`)).json.data.status).toBe(
        'delivered',
      );
    } finally {
      await s.close();
    }
  });
});

describe('GET /v1/sms/status/{id}', () => {
  it('404 NOT_FOUND for an unknown id', async () => {
    const r = await g.call('GET', '/v1/sms/status/msg_doesnotexist/');
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ success: false, error_code: 'NOT_FOUND', data: null });
  });

  it('a failed delivery shows failed with the reason', async () => {
    const f = await createTestGateway({ carrier: { failureRate: 1 } });
    try {
      const r = await f.call('POST', '/v1/sms/send/', {
        body: { message: 'x', recipients: ['+255754000111'] },
      });
      await f.dispatchAndSettle();
      const st = await f.call('GET', `/v1/sms/status/${r.json.data.message_id}/`);
      expect(st.json.data).toMatchObject({
        status: 'failed',
        recipients: [{ status: 'failed', error: { code: 'FAKE_UNDELIVERED' } }],
      });
    } finally {
      await f.close();
    }
  });
});

describe('GET /v1/sms/delivery-reports', () => {
  it('filters by status and dates and paginates with totals', async () => {
    for (let i = 0; i < 5; i++)
      await g.call('POST', '/v1/sms/send/', {
        body: { message: `m${i}`, recipients: ['+255754000111', '+255754000112'] },
      });
    await g.dispatchAndSettle();
    await g.call('POST', '/v1/sms/send/', { body: { message: 'pending', recipients: ['+255754000113'] } });

    // The seed's sample URL has a typo (`status;`): refused by name rather than answered unfiltered.
    const typo = await g.call(
      'GET',
      '/v1/sms/delivery-reports/?start_date=2024-01-01T00:00:00Z&status;=delivered',
    );
    expect(typo.status).toBe(400);
    expect(typo.json.details).toEqual([{ field: 'status;', message: 'unknown field' }]);
    const all = await g.call('GET', '/v1/sms/delivery-reports/?start_date=2024-01-01T00:00:00Z');
    expect(all.json.data.pagination).toEqual({ page: 1, per_page: 50, total: 11, total_pages: 1 });
    const delivered = await g.call('GET', '/v1/sms/delivery-reports/?status=delivered&per_page=4&page=3');
    expect(delivered.json.data.pagination).toEqual({ page: 3, per_page: 4, total: 10, total_pages: 3 });
    expect(delivered.json.data.reports).toHaveLength(2);
    expect(delivered.json.data.reports[0]).toMatchObject({
      status: 'delivered',
      sender_id: 'MIFUMO',
      cost: 10,
    });
    const queued = await g.call('GET', '/v1/sms/delivery-reports/?status=queued');
    expect(queued.json.data.reports.map((r: { phone: string }) => r.phone)).toEqual(['+255754000113']);
    const future = await g.call('GET', '/v1/sms/delivery-reports/?start_date=2999-01-01');
    expect(future.json.data.pagination.total).toBe(0);
    const past = await g.call('GET', '/v1/sms/delivery-reports/?end_date=2024-01-01');
    expect(past.json.data.pagination.total).toBe(0);
    const farEnd = await g.call('GET', '/v1/sms/delivery-reports/?start_date=0001-01-01&end_date=9999-12-31');
    expect(farEnd.json.data.pagination.total).toBe(11);
    const impossible = await g.call('GET', '/v1/sms/delivery-reports/?end_date=2026-02-30');
    expect(impossible.json).toMatchObject({
      error_code: 'VALIDATION_ERROR',
      details: [{ field: 'end_date' }],
    });
  });

  it.each([
    ['status=bogus', 'status'],
    ['start_date=yesterday', 'start_date'],
    ['page=0', 'page'],
    ['per_page=100000', 'per_page'],
  ])('VALIDATION_ERROR for %s', async (query, field) => {
    const r = await g.call('GET', `/v1/sms/delivery-reports/?${query}`);
    expect(r.status).toBe(400);
    expect(r.json.error_code).toBe('VALIDATION_ERROR');
    expect(JSON.stringify(r.json.details)).toContain(field);
  });
});

describe('GET /v1/sms/balance', () => {
  it('answers the seed shape', async () => {
    const r = await g.call('GET', '/v1/sms/balance/');
    expect(r.json).toMatchObject({
      success: true,
      message: 'Balance retrieved successfully',
      data: { balance: 5000, currency: 'TZS' },
    });
    expect(Date.parse(r.json.data.last_updated)).not.toBeNaN();
  });
});

describe.each(ENGINES)('GET /v1/sms/messages on %s', (_engine, open) => {
  it('lists one row per message with its derived status, filtered by status, sender and date, paged', async () => {
    const fresh = await open();
    const t = await createTestGateway({
      storage: fresh.storage,
      carrier: { fault: (m) => (m.to.endsWith('999') ? 'permanent' : null) },
    });
    try {
      const { account, key } = await t.newAccount(1000);
      await t.mifumo.admin.addSenderId(account.id, 'DUKA');
      const send = async (body: Record<string, unknown>) =>
        (await t.call('POST', '/v1/sms/send/', { key, body: { message: 'Habari', ...body } })).json.data
          .message_id;
      const delivered = await send({ recipients: ['+255754000001'], sender_id: 'DUKA' });
      const failed = await send({ recipients: ['+255754000999'] });
      const partial = await send({ recipients: ['+255754000002', '+255754001999'] });
      await t.dispatchAndSettle();
      const inAMonth = new Date(Date.now() + 30 * 86_400_000).toISOString();
      const scheduled = await send({ recipients: ['+255754000003'], schedule_time: inAMonth });
      const queued = await send({ recipients: ['+255754000004', '+255754000005'] });
      const other = await t.newAccount(100);
      await t.call('POST', '/v1/sms/send/', {
        key: other.key,
        body: { message: 'Siri', recipients: ['+255754000006'] },
      });

      const list = async (q = '') => (await t.call('GET', `/v1/sms/messages/${q}`, { key })).json.data;
      const all = await list();
      expect(all.pagination).toEqual({ page: 1, per_page: 50, total: 5, total_pages: 1 });
      const byId = Object.fromEntries(all.messages.map((m: { message_id: string }) => [m.message_id, m]));
      expect(byId[delivered]).toMatchObject({
        status: 'delivered',
        sender_id: 'DUKA',
        recipients: 1,
        cost: 10,
      });
      expect(byId[failed].status).toBe('failed');
      expect(byId[partial]).toMatchObject({
        status: 'partially_delivered',
        recipients: 2,
        recipient_statuses: { scheduled: 0, queued: 0, sent: 0, delivered: 1, failed: 1 },
      });
      expect(byId[scheduled].status).toBe('scheduled');
      expect(byId[queued]).toMatchObject({ status: 'queued', recipient_statuses: { queued: 2 } });
      for (const [status, id] of [
        ['delivered', delivered],
        ['failed', failed],
        ['partially_delivered', partial],
        ['scheduled', scheduled],
        ['queued', queued],
      ])
        expect(
          (await list(`?status=${status}`)).messages.map((m: { message_id: string }) => m.message_id),
        ).toEqual([id]);
      expect((await list('?sender_id=DUKA')).pagination.total).toBe(1);
      expect((await list('?start_date=2999-01-01')).pagination.total).toBe(0);
      expect((await list('?end_date=9999-12-31&start_date=2000-01-01')).pagination.total).toBe(5);
      const pages = [
        await list('?per_page=2'),
        await list('?per_page=2&page=2'),
        await list('?per_page=2&page=3'),
      ];
      expect(pages.flatMap((p) => p.messages.map((m: { message_id: string }) => m.message_id))).toEqual(
        all.messages.map((m: { message_id: string }) => m.message_id),
      );
      for (const q of ['?status=sending', '?campaign=x', '?start_date=2027-02-30'])
        expect((await t.call('GET', `/v1/sms/messages/${q}`, { key })).status, q).toBe(400);
    } finally {
      await t.close();
      await fresh.drop();
    }
  });
});
