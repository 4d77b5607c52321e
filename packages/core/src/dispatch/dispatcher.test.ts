import { describe, expect, it } from 'vitest';
import { createTestGateway, manualClock } from '../../test/harness';
import { type Outcome, scriptedCarrier } from '../../test/scripted-carrier';

const scripted = (outcomes: Outcome[]) => scriptedCarrier({ outcomes });

const send = { message: 'hi', recipients: ['+255754000111'] };

describe('dispatcher', () => {
  it('retries a retryable refusal with backoff, then sends', async () => {
    const clock = manualClock();
    const c = scripted(['retryable', 'ok']);
    const g = await createTestGateway({
      clock,
      adapter: c.adapter,
      config: { dispatch: { retryBaseMs: 1000 } },
    });
    try {
      const id = (await g.call('POST', '/v1/sms/send/', { body: send })).json.data.message_id;
      expect(await g.mifumo.dispatchDue()).toBe(1);
      let st = await g.call('GET', `/v1/sms/status/${id}/`);
      expect(st.json.data.recipients[0]).toMatchObject({ status: 'queued', error: { code: '0x58' } });
      expect(await g.mifumo.dispatchDue()).toBe(0);
      clock.advance(1000);
      expect(await g.mifumo.dispatchDue()).toBe(1);
      expect(await c.report('c2')).toBe('applied');
      expect(await c.report('c2')).toBe('duplicate');
      st = await g.call('GET', `/v1/sms/status/${id}/`);
      expect(st.json.data).toMatchObject({
        status: 'delivered',
        recipients: [{ status: 'delivered', error: null }],
      });
      expect(c.calls.map((m) => m.id)).toEqual([c.calls[0]!.id, c.calls[0]!.id]);
    } finally {
      await g.close();
    }
  });

  it('a permanent refusal fails the recipient and refunds its cost exactly once', async () => {
    const c = scripted(['permanent']);
    const g = await createTestGateway({ adapter: c.adapter });
    try {
      const id = (await g.call('POST', '/v1/sms/send/', { body: send })).json.data.message_id;
      expect((await g.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(4990);
      await g.mifumo.dispatchDue();
      const st = await g.call('GET', `/v1/sms/status/${id}/`);
      expect(st.json.data).toMatchObject({
        status: 'failed',
        recipients: [{ status: 'failed', error: { code: '0x0B' } }],
      });
      expect((await g.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(5000);
      expect(await g.mifumo.dispatchDue()).toBe(0);
    } finally {
      await g.close();
    }
  });

  it('gives up after maxAttempts and refunds', async () => {
    const clock = manualClock();
    const c = scripted(['retryable', 'retryable', 'retryable']);
    const g = await createTestGateway({
      clock,
      adapter: c.adapter,
      config: { dispatch: { maxAttempts: 3, retryBaseMs: 10 } },
    });
    try {
      const id = (await g.call('POST', '/v1/sms/send/', { body: send })).json.data.message_id;
      for (let i = 0; i < 5; i++) {
        await g.mifumo.dispatchDue();
        clock.advance(1000);
      }
      expect(c.calls).toHaveLength(3);
      expect((await g.call('GET', `/v1/sms/status/${id}/`)).json.data.status).toBe('failed');
      expect((await g.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(5000);
    } finally {
      await g.close();
    }
  });

  it('a claim left by a dead dispatcher is taken again once it expires; a live claim is not', async () => {
    const clock = manualClock();
    const c = scripted(['ok']);
    const g = await createTestGateway({
      clock,
      adapter: c.adapter,
      config: { dispatch: { claimTimeoutMs: 30_000 } },
    });
    try {
      const id = (await g.call('POST', '/v1/sms/send/', { body: send })).json.data.message_id;
      // A dispatcher that claimed and died: the row is left `sending` with its claim.
      await g.database.db
        .updateTable('recipients')
        .set({
          status: 'sending',
          claim_token: 'dead',
          claim_expires_at: new Date(clock.now() + 30_000).toISOString(),
        })
        .execute();
      expect(await g.mifumo.dispatchDue()).toBe(0);
      expect((await g.call('GET', `/v1/sms/status/${id}/`)).json.data.status).toBe('queued');
      clock.advance(30_001);
      expect(await g.mifumo.dispatchDue()).toBe(1);
      expect((await g.call('GET', `/v1/sms/status/${id}/`)).json.data.status).toBe('sent');
    } finally {
      await g.close();
    }
  });

  it('a report naming no configured carrier is reported unknown', async () => {
    const c = scripted([]);
    const g = await createTestGateway({ adapter: c.adapter });
    try {
      expect(await g.mifumo.handleReport('other', { carrierMessageId: 'x', status: 'delivered' })).toBe(
        'unknown',
      );
    } finally {
      await g.close();
    }
  });

  it('two dispatchers never submit the same recipient twice', async () => {
    const c = scripted([]);
    const g = await createTestGateway({ adapter: c.adapter, balance: 100_000 });
    try {
      const recipients = Array.from({ length: 300 }, (_, i) => `+25575400${String(i).padStart(4, '0')}`);
      await g.call('POST', '/v1/sms/send/', { body: { message: 'x', recipients } });
      const [a, b] = await Promise.all([g.mifumo.dispatchDue(), g.mifumo.dispatchDue()]);
      expect(a + b).toBe(300);
      expect(new Set(c.calls.map((m) => m.to)).size).toBe(300);
      expect(c.calls).toHaveLength(300);
    } finally {
      await g.close();
    }
  });
});
