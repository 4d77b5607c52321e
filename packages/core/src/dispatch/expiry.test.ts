import { describe, expect, it } from 'vitest';
import { dashboardClient } from '../../test/dashboard-client';
import { ENGINES } from '../../test/databases';
import { createTestGateway, manualClock } from '../../test/harness';
import { scriptedCarrier } from '../../test/scripted-carrier';

const HOUR = 3_600_000;
const hook = 'https://hooks.example.com/sms';

describe.each(ENGINES)('recipients that would wait for ever, on %s', (_, open) => {
  it('sent with no final receipt within delivery.receiptTimeoutMs: expired, charged, with its event and a place in reports', async () => {
    const fresh = await open();
    const clock = manualClock();
    const carrier = scriptedCarrier();
    const g = await createTestGateway({
      clock,
      adapter: carrier.adapter,
      storage: fresh.storage,
      balance: 100,
    });
    try {
      const sent = await g.call('POST', '/v1/sms/send/', {
        body: { message: 'hi', recipients: ['+255754000111', '+255754000222'], webhook_url: hook },
      });
      const id = sent.json.data.message_id;
      await g.mifumo.dispatchDue();
      // One receipt comes; the other never does.
      expect(await carrier.report('c1')).toBe('applied');
      clock.advance(48 * HOUR - 1);
      await g.mifumo.dispatchDue();
      expect((await g.call('GET', `/v1/sms/status/${id}/`)).json.data.status).toBe('sent');

      clock.advance(5_001);
      await g.mifumo.dispatchDue();
      const st = (await g.call('GET', `/v1/sms/status/${id}/`)).json.data;
      expect(st.status).toBe('partially_delivered');
      const expired = st.recipients.find((r: { status: string }) => r.status === 'expired');
      expect(expired).toMatchObject({
        phone: '+255754000222',
        expired_at: new Date(clock.now()).toISOString(),
        error: {
          code: 'RECEIPT_TIMEOUT',
          message: 'No final delivery report within 48 h of the carrier taking it',
        },
      });
      // Not refunded: the carrier took it.
      expect((await g.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(80);
      const reports = await g.call('GET', '/v1/sms/delivery-reports/?status=expired');
      expect(reports.json.data.reports).toMatchObject([{ phone: '+255754000222', status: 'expired' }]);
      const events = await g.database.db
        .selectFrom('webhook_events')
        .select(['event'])
        .where('message_id', '=', id)
        .orderBy('sort_key')
        .execute();
      expect(events.map((e) => e.event).sort()).toEqual(['delivered', 'expired', 'sent', 'sent']);
      // Final: a receipt arriving after it changes nothing.
      await carrier.report('c2');
      expect((await g.call('GET', `/v1/sms/status/${id}/`)).json.data.recipients[1].status).toBe('expired');
      const listed = await g.call('GET', '/v1/sms/messages/?status=partially_delivered');
      expect(listed.json.data.messages[0].recipient_statuses).toMatchObject({ delivered: 1, expired: 1 });
      // The dashboard's timeline says so too.
      const browser = dashboardClient(g);
      await browser.signIn(g.key);
      const page = await browser.get(`/dashboard/messages/${id}`);
      expect(page.text).toMatch(/Expired [^<]*: <code>RECEIPT_TIMEOUT<\/code>/);
    } finally {
      await g.close();
      await fresh.drop();
    }
  });

  it('a send with validity_period is never submitted after it: expired and refunded, the validity passed to the carrier', async () => {
    const fresh = await open();
    const clock = manualClock();
    const carrier = scriptedCarrier();
    const g = await createTestGateway({
      clock,
      adapter: carrier.adapter,
      storage: fresh.storage,
      balance: 100,
    });
    try {
      const accepted = clock.now();
      carrier.setDown(true);
      const sent = await g.call('POST', '/v1/sms/send/', {
        body: { message: 'Code 4821', recipients: ['+255754000111'], validity_period: 60, webhook_url: hook },
      });
      expect(sent.json.data.valid_until).toBe(new Date(accepted + 60_000).toISOString());
      const id = sent.json.data.message_id;
      await g.mifumo.dispatchDue();
      expect(carrier.calls[0]!.validUntil).toBe(accepted + 60_000);
      expect((await g.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(90);

      // The carrier is back, but only after the code stopped being worth sending.
      carrier.setDown(false);
      clock.advance(60_000);
      await g.mifumo.dispatchDue();
      expect(carrier.calls).toHaveLength(1);
      const st = (await g.call('GET', `/v1/sms/status/${id}/`)).json.data;
      expect(st).toMatchObject({ status: 'expired', valid_until: new Date(accepted + 60_000).toISOString() });
      expect(st.recipients[0]).toMatchObject({ status: 'expired', error: { code: 'VALIDITY_EXPIRED' } });
      expect((await g.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(100);
      const events = await g.database.db.selectFrom('webhook_events').select('event').execute();
      expect(events.map((e) => e.event)).toEqual(['expired']);
    } finally {
      await g.close();
      await fresh.drop();
    }
  });
});

describe('validity_period', () => {
  it.each([59, 604_801, 90.5, '60'])('%j is refused by name', async (value) => {
    const g = await createTestGateway();
    try {
      const r = await g.call('POST', '/v1/sms/send/', {
        body: { message: 'x', recipients: ['+255754000111'], validity_period: value },
      });
      expect(r.status).toBe(400);
      expect(r.json.error_code).toBe('VALIDATION_ERROR');
      expect(JSON.stringify(r.json.details)).toContain('validity_period');
    } finally {
      await g.close();
    }
  });

  it('counts from the schedule time of a scheduled send', async () => {
    const clock = manualClock();
    const g = await createTestGateway({ clock });
    try {
      const at = '2026-01-02T08:00:00.000Z';
      const r = await g.call('POST', '/v1/sms/send/', {
        body: { message: 'x', recipients: ['+255754000111'], schedule_time: at, validity_period: 600 },
      });
      expect(r.json.data.valid_until).toBe('2026-01-02T08:10:00.000Z');
    } finally {
      await g.close();
    }
  });
});
