import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/databases';
import { createTestGateway, manualClock } from '../../../test/harness';

const phones = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `+25575400${String(from + i).padStart(4, '0')}`);
const send = (recipients: string[]) => ({ body: { message: 'hi', recipients } });

/**
 * A send takes its API call and its recipients from their limits in its own atomic batch (one commit):
 * concurrent sends must still never pass a limit, a refused send must leave no message and no charge,
 * and every request must still be counted as an API call, whatever refused it.
 */
describe.each(ENGINES)('sends and their limits in one commit, %s', (_, fresh) => {
  describe.each(['database', 'memory'] as const)('limits in the %s', (store) => {
    async function gateway(limits: { apiCallsPerHour: number; smsPerMinute: number }, balance = 100_000) {
      const db = await fresh();
      const g = await createTestGateway({
        clock: manualClock(), // the limits do not refill while the test runs
        storage: db.storage,
        balance,
        config: { limits: { ...limits, contactOpsPerHour: 100, store } },
      });
      return {
        ...g,
        close: async () => {
          await g.close();
          await db.drop();
        },
      };
    }
    /** Messages and charge as stored, read past the API (whose limit the test spends). */
    const stored = async (g: Awaited<ReturnType<typeof gateway>>) => ({
      messages: Number(
        (
          await g.database.db
            .selectFrom('messages')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      balance: (await g.mifumo.admin.getAccount(g.account.id)).balance,
    });

    it('120 concurrent sends against an API limit of 50: exactly 50 stored and charged, 70 refused by name', async () => {
      const g = await gateway({ apiCallsPerHour: 50, smsPerMinute: 10_000 });
      try {
        const replies = await Promise.all(
          Array.from({ length: 120 }, (_, i) => g.call('POST', '/v1/sms/send/', send(phones(1, i)))),
        );
        expect(replies.filter((r) => r.status === 200)).toHaveLength(50);
        const refused = replies.filter((r) => r.status === 429);
        expect(refused).toHaveLength(70);
        expect(refused[0]!.json).toMatchObject({
          error_code: 'RATE_LIMIT_EXCEEDED',
          details: { limit: 'api_calls_per_hour', max: 50 },
        });
        expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await stored(g)).toEqual({ messages: 50, balance: 100_000 - 50 * 10 });
      } finally {
        await g.close();
      }
    });

    it('concurrent sends against an SMS limit: exactly the limit stored, the rest refused, each still an API call', async () => {
      const g = await gateway({ apiCallsPerHour: 1000, smsPerMinute: 100 });
      try {
        const replies = await Promise.all(
          Array.from({ length: 80 }, (_, i) => g.call('POST', '/v1/sms/send/', send(phones(2, 2 * i)))),
        );
        expect(replies.filter((r) => r.status === 200)).toHaveLength(50);
        const refused = replies.filter((r) => r.status === 429);
        expect(refused).toHaveLength(30);
        expect(refused[0]!.json.details).toMatchObject({
          limit: 'sms_per_minute',
          requested: 2,
          remaining: 0,
        });
        expect(await stored(g)).toEqual({ messages: 50, balance: 100_000 - 100 * 10 });
        // 80 sends counted, accepted or not, and this call: 1000 - 81.
        const after = await g.call('GET', '/v1/sms/balance/');
        expect(after.headers.get('ratelimit-remaining')).toBe('919');
      } finally {
        await g.close();
      }
    });

    it('a 429 for a send carries the SMS limit’s headers, whether the send alone is too big or more than remains', async () => {
      const g = await gateway({ apiCallsPerHour: 1000, smsPerMinute: 100 });
      try {
        const headers = (r: { headers: Headers }) =>
          ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after'].map((h) =>
            r.headers.get(h),
          );
        const alone = await g.call('POST', '/v1/sms/send/', send(phones(150)));
        expect(alone.json.details).toMatchObject({ limit: 'sms_per_minute', requested: 150, remaining: 100 });
        expect(headers(alone)).toEqual(['100', '100', '0', '60']);
        expect((await g.call('POST', '/v1/sms/send/', send(phones(70)))).status).toBe(200);
        const more = await g.call('POST', '/v1/sms/send/', send(phones(40, 100)));
        expect(more.json.details).toMatchObject({ limit: 'sms_per_minute', requested: 40, remaining: 30 });
        // 30 left of 100; 40 fit after 10 more come back (6 s); the quota is whole after 70 × 0.6 s = 42 s.
        expect(headers(more)).toEqual(['100', '30', '42', '6']);
      } finally {
        await g.close();
      }
    });

    it('a send refused for its balance or its body still counts as an API call and gives its SMS back', async () => {
      const g = await gateway({ apiCallsPerHour: 10, smsPerMinute: 100 }, 500);
      try {
        const poor = await g.call('POST', '/v1/sms/send/', send(phones(80)));
        expect(poor.json.error_code).toBe('INSUFFICIENT_BALANCE');
        expect(poor.headers.get('ratelimit-remaining')).toBe('9');
        const bad = await g.call('POST', '/v1/sms/send/', { body: { message: 'hi' } });
        expect(bad.status).toBe(400);
        expect(bad.headers.get('ratelimit-remaining')).toBe('8');
        await g.mifumo.admin.topUp(g.account.id, 1000);
        const all = await g.call('POST', '/v1/sms/send/', send(phones(100)));
        expect(all.status).toBe(200);
        expect([all.headers.get('ratelimit-limit'), all.headers.get('ratelimit-remaining')]).toEqual([
          '100',
          '0',
        ]);
        for (let i = 0; i < 7; i++) await g.call('GET', '/v1/sms/balance/');
        const spent = await g.call('POST', '/v1/sms/send/', { body: { message: 'hi' } });
        expect(spent.status).toBe(400); // refused for its body first; being over the API limit adds nothing
        const over = await g.call('POST', '/v1/sms/send/', send(phones(1, 500)));
        expect(over.json.details).toMatchObject({ limit: 'api_calls_per_hour' });
      } finally {
        await g.close();
      }
    });
  });
});
