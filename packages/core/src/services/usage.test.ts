import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/databases';
import { createTestGateway, manualClock } from '../../test/harness';
import { createStore } from '../storage/store';
import { createUsage } from './usage';

const DAY = 86_400_000;

describe.each(ENGINES)('usage overview on %s', (_engine, open) => {
  it('counts messages, recipients and net cost per window, daily volume by status and top failures', async () => {
    const fresh = await open();
    const clock = manualClock(Date.UTC(2026, 4, 21, 21)); // 40 days before 21:00 UTC on 30 June
    const g = await createTestGateway({
      storage: fresh.storage,
      clock,
      carrier: { fault: (m) => (m.to.endsWith('999') ? 'permanent' : null) },
    });
    try {
      const { account, key } = await g.newAccount(1000);
      const send = async (recipients: string[]) => {
        const r = await g.call('POST', '/v1/sms/send/', { key, body: { message: 'Habari', recipients } });
        expect(r.status).toBe(200);
        await g.dispatchAndSettle();
      };
      await send(['+255754000001']); // outside every window
      clock.advance(30 * DAY); // 10 days before
      await send(['+255754000001', '+255754000999']);
      clock.advance(7 * DAY); // 3 days ago
      await send(['+255754000002', '+255754000003', '+255754000999']);
      clock.advance(3 * DAY); // today, 21:00
      await send(['+255754000004']);

      const usages = createUsage({ store: createStore(g.database), clock });
      const usage = await usages.overview(account.id, 'UTC');
      expect(usage).toMatchObject({
        balance: 1000 - 70 + 20,
        currency: 'TZS',
        today: { messages: 1, recipients: 1, cost: 10 },
        last7Days: { messages: 2, recipients: 4, cost: 30 },
        last30Days: { messages: 3, recipients: 6, cost: 40 },
        failures: [{ code: expect.any(String), count: 2 }],
      });
      expect(usage.deliveryRate).toBeCloseTo(4 / 6);
      expect(usage.daily).toHaveLength(30);
      expect(usage.daily[0]!.day).toBe('2026-06-01');
      expect(usage.daily.at(-1)).toEqual({ day: '2026-06-30', queued: 0, sent: 0, delivered: 1, failed: 0 });
      expect(usage.daily.find((d) => d.day === '2026-06-27')).toMatchObject({ delivered: 2, failed: 1 });
      expect(usage.daily.find((d) => d.day === '2026-06-20')).toMatchObject({ delivered: 1, failed: 1 });

      // 21:00 UTC is midnight in Dar es Salaam: each send lands on the next local day, today is 1 July.
      const local = await usages.overview(account.id, 'Africa/Dar_es_Salaam');
      expect(local).toMatchObject({
        today: { messages: 1, recipients: 1, cost: 10 },
        last7Days: { messages: 2, recipients: 4, cost: 30 },
        last30Days: { messages: 3, recipients: 6, cost: 40 },
      });
      expect(local.daily[0]!.day).toBe('2026-06-02');
      expect(local.daily.at(-1)).toEqual({ day: '2026-07-01', queued: 0, sent: 0, delivered: 1, failed: 0 });
      expect(local.daily.find((d) => d.day === '2026-06-28')).toMatchObject({ delivered: 2, failed: 1 });
      expect(local.daily.find((d) => d.day === '2026-06-27')).toMatchObject({ delivered: 0, failed: 0 });
      // West of UTC, 17:00 the same day: the same days as in UTC.
      const west = await usages.overview(account.id, 'America/New_York');
      expect(west.daily.map((d) => [d.day, d.delivered])).toEqual(
        usage.daily.map((d) => [d.day, d.delivered]),
      );
    } finally {
      await g.close();
      await fresh.drop();
    }
  });
});
