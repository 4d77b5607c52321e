import { describe, expect, it } from 'vitest';
import { createTestGateway, manualClock } from '../../test/harness';
import { scriptedCarrier } from '../../test/scripted-carrier';

const to = (n: number) => `+2557540001${String(n).padStart(2, '0')}`;

async function recipientsOf(g: Awaited<ReturnType<typeof createTestGateway>>) {
  return g.database.db
    .selectFrom('recipients')
    .select(['phone', 'status', 'carrier_id', 'attempts', 'next_attempt_at', 'error_code'])
    .orderBy('phone')
    .execute();
}

describe('failover and the circuit breaker', () => {
  it('a retryable refusal fails over to the next carrier on the route at once', async () => {
    const clock = manualClock();
    const a = scriptedCarrier({ id: 'a', outcomes: ['retryable'] });
    const b = scriptedCarrier({ id: 'b' });
    const g = await createTestGateway({
      clock,
      adapters: [a.adapter, b.adapter],
      config: { routes: [{ operators: ['vodacom'], carriers: ['a', 'b'] }] },
    });
    try {
      await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients: [to(1)] } });
      await g.mifumo.dispatchDue();
      await g.mifumo.dispatchDue(); // no time passes: the failover is due now
      expect(await recipientsOf(g)).toMatchObject([{ status: 'sent', carrier_id: 'b', attempts: 2 }]);
      expect([a.calls.length, b.calls.length]).toEqual([1, 1]);
    } finally {
      await g.close();
    }
  });

  it('with one carrier dead, its circuit opens and traffic goes straight to the other until a probe finds it back', async () => {
    const clock = manualClock();
    const a = scriptedCarrier({ id: 'a' });
    const b = scriptedCarrier({ id: 'b' });
    a.setDown(true);
    const g = await createTestGateway({
      clock,
      adapters: [a.adapter, b.adapter],
      config: {
        routes: [{ carriers: ['a', 'b'] }],
        dispatch: { breakerFailures: 3, breakerCooldownMs: 10_000, batchSize: 1 },
      },
    });
    try {
      const recipients = Array.from({ length: 10 }, (_, i) => to(i));
      await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients } });
      for (let i = 0; i < 20; i++) await g.mifumo.dispatchDue({ maxBatches: 1 });
      const rows = await recipientsOf(g);
      expect(rows.every((r) => r.status === 'sent' && r.carrier_id === 'b')).toBe(true);
      expect(a.calls.length).toBe(3); // three failures opened the circuit; no more were tried
      expect(await g.mifumo.circuits()).toMatchObject({ a: 'open', b: 'closed' });

      a.setDown(false);
      await g.call('POST', '/v1/sms/send/', { body: { message: 'again', recipients: [to(50)] } });
      await g.mifumo.dispatchDue();
      expect(a.calls.length).toBe(3); // still cooling down
      clock.advance(10_000);
      await g.call('POST', '/v1/sms/send/', { body: { message: 'probe', recipients: [to(51)] } });
      await g.mifumo.dispatchDue();
      expect(a.calls.length).toBe(4); // the probe, which went through
      expect(await g.mifumo.circuits()).toMatchObject({ a: 'closed' });
    } finally {
      await g.close();
    }
  });

  it('a message no carrier can take stays queued, retrying, until its attempts run out; then it fails, refunded', async () => {
    const clock = manualClock();
    const a = scriptedCarrier({ id: 'a' });
    a.setDown(true);
    const g = await createTestGateway({
      clock,
      adapters: [a.adapter],
      config: {
        dispatch: { maxAttempts: 4, retryBaseMs: 1000, breakerFailures: 2, breakerCooldownMs: 60_000 },
      },
    });
    try {
      await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients: [to(1)] } });
      const codes: (string | null)[] = [];
      for (let i = 0; i < 4; i++) {
        await g.mifumo.dispatchDue();
        const [r] = await recipientsOf(g);
        codes.push(r!.error_code);
        clock.advance(10_000);
      }
      const [r] = await recipientsOf(g);
      expect(codes).toEqual(['0x58', '0x58', 'CARRIER_UNAVAILABLE', 'CARRIER_UNAVAILABLE']);
      expect(r).toMatchObject({ status: 'failed', attempts: 4 });
      expect(a.calls.length).toBe(2);
      expect((await g.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(5000);
    } finally {
      await g.close();
    }
  });
});

describe('carrier capabilities', () => {
  it('submits are paced to submitsPerSecond: the rest wait their slot without spending an attempt', async () => {
    const clock = manualClock();
    const a = scriptedCarrier({ id: 'a', capabilities: { submitsPerSecond: 10 } });
    const g = await createTestGateway({ clock, adapters: [a.adapter] });
    try {
      const recipients = Array.from({ length: 30 }, (_, i) => to(i));
      await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients } });
      await g.mifumo.dispatchDue();
      // The clock stands still, so only the slots within the longest wait (1 s) are taken: 0, 100 … 1000 ms.
      expect(a.calls.length).toBe(11);
      const waiting = (await recipientsOf(g)).filter((r) => r.status === 'queued');
      expect(waiting).toHaveLength(19);
      expect(
        waiting.every((r) => r.attempts === 0 && r.next_attempt_at > new Date(clock.now()).toISOString()),
      ).toBe(true);
      clock.advance(1_100);
      await g.mifumo.dispatchDue();
      expect(a.calls.length).toBe(22);
    } finally {
      await g.close();
    }
  });

  it('UCS-2 goes only to carriers that carry it; with none on the route the send is refused', async () => {
    const gsmOnly = scriptedCarrier({ id: 'gsm', capabilities: { ucs2: false } });
    const full = scriptedCarrier({ id: 'full' });
    const g = await createTestGateway({
      adapters: [gsmOnly.adapter, full.adapter],
      config: {
        routes: [
          { operators: ['vodacom'], carriers: ['gsm', 'full'] },
          { operators: ['airtel'], carriers: ['gsm'] },
        ],
      },
    });
    try {
      await g.call('POST', '/v1/sms/send/', { body: { message: 'Habari 😀', recipients: [to(1)] } });
      await g.call('POST', '/v1/sms/send/', { body: { message: 'Habari', recipients: [to(2)] } });
      await g.mifumo.dispatchDue();
      expect(full.calls.map((m) => m.encoding)).toEqual(['UCS-2']);
      expect(gsmOnly.calls.map((m) => m.encoding)).toEqual(['GSM-7']);
      const refused = await g.call('POST', '/v1/sms/send/', {
        body: { message: 'Habari 😀', recipients: ['+255681234567'] },
      });
      expect(refused.status).toBe(400);
      expect(refused.json).toMatchObject({ error_code: 'NO_ROUTE', details: { phones: ['+255681234567'] } });
    } finally {
      await g.close();
    }
  });
});
