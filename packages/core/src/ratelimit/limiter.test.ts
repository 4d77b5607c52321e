import { describe, expect, it } from 'vitest';
import { createTestGateway, manualClock, TEST_SECRET } from '../../test/harness';
import { createMifumo } from '../mifumo';

const SEED = { smsPerMinute: 100, apiCallsPerHour: 1000, contactOpsPerHour: 500 };
const phones = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `+25575400${String(from + i).padStart(4, '0')}`);

describe('the seed limits through the API', () => {
  it('puts RateLimit-Limit, -Remaining and -Reset on every authenticated response, and none on a 401', async () => {
    const g = await createTestGateway({ config: { limits: SEED } });
    try {
      const r = await g.call('GET', '/v1/sms/balance/');
      expect(r.headers.get('ratelimit-limit')).toBe('1000');
      expect(r.headers.get('ratelimit-remaining')).toBe('999');
      expect(r.headers.get('ratelimit-reset')).toBe('4'); // 3600 s / 1000 = 3.6 s
      const bad = await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients: ['123'] } });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('ratelimit-remaining')).toBe('998');
      // A send reports the tightest limit it touched: SMS per minute.
      const sent = await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients: phones(3) } });
      expect([sent.headers.get('ratelimit-limit'), sent.headers.get('ratelimit-remaining')]).toEqual([
        '100',
        '97',
      ]);
      expect(sent.headers.get('ratelimit-reset')).toBe('2'); // 3 × 0.6 s
      const contact = await g.call('POST', '/v1/contacts/create/', {
        body: { name: 'A', phone_number: '+255754000111' },
      });
      expect(contact.headers.get('ratelimit-limit')).toBe('500');
      const denied = await g.call('GET', '/v1/sms/balance/', { key: 'mk_live_nope' });
      expect(denied.headers.get('ratelimit-limit')).toBeNull();
    } finally {
      await g.close();
    }
  });

  it('500 concurrent requests against an API limit of 100: exactly 100 pass, the rest 429 with Retry-After', async () => {
    const g = await createTestGateway({ config: { limits: { ...SEED, apiCallsPerHour: 100 } } });
    try {
      const results = await Promise.all(Array.from({ length: 500 }, () => g.call('GET', '/v1/sms/balance/')));
      expect(results.filter((r) => r.status === 200)).toHaveLength(100);
      const refused = results.filter((r) => r.status === 429);
      expect(refused).toHaveLength(400);
      expect(refused[0]!.json).toMatchObject({
        success: false,
        error_code: 'RATE_LIMIT_EXCEEDED',
        details: { limit: 'api_calls_per_hour', max: 100, window_seconds: 3600, retry_after_seconds: 36 },
      });
      expect(refused[0]!.headers.get('retry-after')).toBe('36');
      expect(refused[0]!.headers.get('ratelimit-remaining')).toBe('0');
    } finally {
      await g.close();
    }
  });

  it('a send counts its recipients; one over the limit is refused whole and leaves balance and quota unchanged', async () => {
    const g = await createTestGateway({ config: { limits: SEED } });
    try {
      const big = await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients: phones(150) } });
      expect(big.status).toBe(429);
      expect(big.json.details).toMatchObject({
        limit: 'sms_per_minute',
        max: 100,
        requested: 150,
        retry_after_seconds: null,
      });
      const first = await g.call('POST', '/v1/sms/send/', {
        body: { message: 'hi', recipients: phones(60) },
      });
      expect(first.status).toBe(200);
      const over = await g.call('POST', '/v1/sms/send/', {
        body: { message: 'hi', recipients: phones(41, 100) },
      });
      expect(over.status).toBe(429);
      expect(over.json.details).toMatchObject({ requested: 41, remaining: 40, retry_after_seconds: 1 });
      expect((await g.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(5000 - 600);
      expect((await g.call('GET', '/v1/sms/delivery-reports/')).json.data.pagination.total).toBe(60);
      const rest = await g.call('POST', '/v1/sms/send/', {
        body: { message: 'hi', recipients: phones(40, 100) },
      });
      expect(rest.status).toBe(200);
    } finally {
      await g.close();
    }
  });

  it('a send refused for its balance gives its SMS quota back', async () => {
    const g = await createTestGateway({ config: { limits: SEED }, balance: 500 });
    try {
      const poor = await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients: phones(80) } });
      expect(poor.json.error_code).toBe('INSUFFICIENT_BALANCE');
      await g.mifumo.admin.topUp(g.account.id, 1000);
      const ok = await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients: phones(100) } });
      expect(ok.status).toBe(200);
    } finally {
      await g.close();
    }
  });

  it('counts contact and segment operations against their own limit', async () => {
    const g = await createTestGateway({ config: { limits: { ...SEED, contactOpsPerHour: 3 } } });
    try {
      expect(
        (await g.call('POST', '/v1/contacts/create/', { body: { name: 'A', phone_number: '+255754000111' } }))
          .status,
      ).toBe(201);
      expect((await g.call('GET', '/v1/contacts/search/')).status).toBe(200);
      expect((await g.call('POST', '/v1/contacts/segments/create/', { body: { name: 'S' } })).status).toBe(
        201,
      );
      const r = await g.call('GET', '/v1/contacts/segments/');
      expect(r.status).toBe(429);
      expect(r.json.details).toMatchObject({ limit: 'contact_ops_per_hour', max: 3 });
      expect((await g.call('GET', '/v1/sms/balance/')).status).toBe(200);
    } finally {
      await g.close();
    }
  });

  it('rolls over with the clock: one more per interval, the whole quota after the window', async () => {
    const clock = manualClock();
    const g = await createTestGateway({ clock, config: { limits: SEED } });
    try {
      expect(
        (await g.call('POST', '/v1/sms/send/', { body: { message: 'a', recipients: phones(100) } })).status,
      ).toBe(200);
      expect(
        (await g.call('POST', '/v1/sms/send/', { body: { message: 'b', recipients: phones(1) } })).status,
      ).toBe(429);
      clock.advance(600);
      expect(
        (await g.call('POST', '/v1/sms/send/', { body: { message: 'c', recipients: phones(1) } })).status,
      ).toBe(200);
      expect(
        (await g.call('POST', '/v1/sms/send/', { body: { message: 'd', recipients: phones(1) } })).status,
      ).toBe(429);
      clock.advance(60_000);
      expect(
        (await g.call('POST', '/v1/sms/send/', { body: { message: 'e', recipients: phones(100) } })).status,
      ).toBe(200);
    } finally {
      await g.close();
    }
  });

  it('per-account limits override the configured ones', async () => {
    const g = await createTestGateway({ config: { limits: SEED, auth: { cacheTtlMs: 0 } } });
    try {
      await g.mifumo.admin.setLimits(g.account.id, { smsPerMinute: 200 });
      expect(
        (await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients: phones(150) } })).status,
      ).toBe(200);
      const other = await g.newAccount();
      expect(
        (
          await g.call('POST', '/v1/sms/send/', {
            key: other.key,
            body: { message: 'hi', recipients: phones(150) },
          })
        ).status,
      ).toBe(429);
    } finally {
      await g.close();
    }
  });
});

describe('failed authentication throttle', () => {
  it('answers 429 to an address after too many bad keys, lets known keys through, and recovers', async () => {
    const clock = manualClock();
    const g = await createTestGateway({
      clock,
      config: {
        limits: { ...SEED, authFailuresPerMinute: 3 },
        auth: { clientAddressHeader: 'X-Forwarded-For' },
      },
    });
    // The client writes its own first entry; the one trusted proxy appends the address it saw.
    const from = (ip: string) => ({ 'X-Forwarded-For': `203.0.113.66, ${ip}` });
    try {
      expect((await g.call('GET', '/v1/sms/balance/', { headers: from('198.51.100.7') })).status).toBe(200); // known from now on
      const unused = await g.mifumo.admin.createKey({
        accountId: g.account.id,
        name: 'never used',
        permissions: ['read'],
      });
      for (let i = 0; i < 3; i++)
        expect(
          (
            await g.call('GET', '/v1/sms/balance/', {
              key: `mk_live_guess${i}`,
              headers: from('198.51.100.7'),
            })
          ).status,
        ).toBe(401);
      const blocked = await g.call('GET', '/v1/sms/balance/', {
        key: 'mk_live_guess9',
        headers: from('198.51.100.7'),
      });
      expect(blocked.status).toBe(429);
      expect(blocked.json.details).toMatchObject({ limit: 'auth_failures_per_minute', max: 3 });
      // Locked out: each failure while locked out extends the lockout by one interval (20 s).
      expect(blocked.headers.get('retry-after')).toBe('40');
      const again = await g.call('GET', '/v1/sms/balance/', {
        key: 'mk_live_guess10',
        headers: from('198.51.100.7'),
      });
      expect(again.status).toBe(429);
      expect(again.headers.get('retry-after')).toBe('60');
      // A right key is never refused by the throttle, even one never seen before (issue 8: the throttle
      // shared by every client behind one proxy must not lock real users out).
      expect(
        (await g.call('GET', '/v1/sms/balance/', { key: unused.key, headers: from('198.51.100.7') })).status,
      ).toBe(200);
      // The holder of a key already verified is not locked out; other addresses are not affected.
      expect((await g.call('GET', '/v1/sms/balance/', { headers: from('198.51.100.7') })).status).toBe(200);
      expect(
        (await g.call('GET', '/v1/sms/balance/', { key: 'mk_live_x', headers: from('203.0.113.9') })).status,
      ).toBe(401);
      clock.advance(59_000);
      expect(
        (await g.call('GET', '/v1/sms/balance/', { key: 'mk_live_guess11', headers: from('198.51.100.7') }))
          .status,
      ).toBe(429); // a second early: 20 s more
      clock.advance(21_000);
      expect(
        (await g.call('GET', '/v1/sms/balance/', { key: 'mk_live_guess12', headers: from('198.51.100.7') }))
          .status,
      ).toBe(401);
    } finally {
      await g.close();
    }
  });

  it('locks a guessing address out for longer with each guess, up to an hour, never a right key', async () => {
    const clock = manualClock();
    const g = await createTestGateway({ clock, config: { limits: { ...SEED, authFailuresPerMinute: 3 } } });
    try {
      const guess = (i: number) => g.call('GET', '/v1/sms/balance/', { key: `mk_live_guess${i}` });
      const waits: number[] = [];
      for (let i = 0; i < 250; i++) {
        const r = await guess(i);
        if (r.status === 429) waits.push(Number(r.headers.get('retry-after')));
      }
      expect(waits).toHaveLength(247);
      expect(waits.slice(0, 3)).toEqual([40, 60, 80]);
      expect(waits.at(-1)).toBe(3600);
      expect(waits.every((w, i) => i === 0 || w >= waits[i - 1]!)).toBe(true);
      expect((await g.call('GET', '/v1/sms/balance/')).status).toBe(200);
      clock.advance(3_599_000);
      expect((await guess(1000)).status).toBe(429);
      expect((await g.call('GET', '/v1/sms/balance/')).status).toBe(200);
      clock.advance(3_600_000);
      expect((await guess(1001)).status).toBe(401);
    } finally {
      await g.close();
    }
  });

  it('counts failures atomically: 300 wrong keys at once from one address, exactly the limit answered 401', async () => {
    const g = await createTestGateway({ config: { limits: { ...SEED, authFailuresPerMinute: 20 } } });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          g.call('GET', '/v1/sms/balance/', { key: `mk_live_wrong${i}` }),
        ),
      ).then((rs) => rs.map((r) => r.status));
      expect(statuses.filter((s) => s === 401)).toHaveLength(20);
      expect(statuses.filter((s) => s === 429)).toHaveLength(280);
      // A right key from the same (throttled) address, never seen by this process, still passes.
      expect((await g.call('GET', '/v1/sms/balance/')).status).toBe(200);
    } finally {
      await g.close();
    }
  });

  it('a restart does not turn the throttle against a right key', async () => {
    const g = await createTestGateway({ config: { limits: { ...SEED, authFailuresPerMinute: 3 } } });
    try {
      for (let i = 0; i < 5; i++) await g.call('GET', '/v1/sms/balance/', { key: `mk_live_bad${i}` });
      // A second gateway on the same database: its key cache is empty, the throttle state is shared.
      const restarted = createMifumo({
        secret: TEST_SECRET,
        storage: g.database,
        carriers: [g.carrier],
        config: { carriers: [{ id: 'dev', type: 'fake' }], limits: { ...SEED, authFailuresPerMinute: 3 } },
        logger: { error: () => {} },
      });
      const r = await restarted.app.request('/v1/sms/balance/', {
        headers: { Authorization: `Bearer ${g.key}` },
      });
      expect(r.status).toBe(200);
    } finally {
      await g.close();
    }
  });
});
