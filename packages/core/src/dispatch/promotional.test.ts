import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/databases';
import { createTestGateway, type TestGateway } from '../../test/harness';
import { HELD_RECHECK_MS } from '../services/compliance';

const RULES = { defaultRegion: 'TZ', carrierIds: ['dev'], allowPrivateNetworks: true };
const at = (text: string) => Date.parse(text);
/** 21:00 in Dar es Salaam (UTC+3), in the default quiet hours 20:00–08:00. */
const EVENING = at('2026-06-10T18:00:00Z');
const NEXT_MORNING = at('2026-06-11T05:00:00Z');
/** 11:00 in Dar es Salaam. */
const MIDDAY = at('2026-06-11T08:00:00Z');
const FOOTER = 'Kusitisha tuma ACHA kwenda';
/** 150 GSM-7 characters: one segment alone, two with the footer. */
const TEXT_150 = 'Ofa maalum leo! '.repeat(10).slice(0, 150);

describe.each(ENGINES)('promotional messages on %s', (_engine, open) => {
  let now = MIDDAY;
  const clock = { now: () => now };
  let g: TestGateway;
  let drop = async () => {};
  let code = 15600;
  beforeAll(async () => {
    const db = await open();
    drop = db.drop;
    g = await createTestGateway({
      clock,
      storage: db.storage,
      config: { dispatch: { batchSize: 2 }, messages: { maxLength: 480 } },
    });
  });
  afterAll(async () => {
    await g?.close();
    await drop();
  });

  /** A funded account with its own inbound short code (its opt-out route) and its key. */
  async function account(options: { number?: boolean } = {}) {
    const a = await g.newAccount(100_000);
    const number = String(++code);
    if (options.number !== false) await g.mifumo.admin.addNumber({ accountId: a.account.id, number }, RULES);
    const call = (method: string, path: string, body?: unknown) =>
      g.call(method, path, { key: a.key, ...(body === undefined ? {} : { body }) });
    const balance = async () => (await call('GET', '/v1/sms/balance/')).json.data.balance;
    return { ...a, number, call, balance };
  }
  const promo = (recipients: string[], message = 'Ofa leo', extra: object = {}) => ({
    message,
    recipients,
    traffic_class: 'promotional',
    ...extra,
  });
  /** What the carrier was given so far for `phone`. */
  const submitted = (phone: string) => g.carrier.sent.filter((m) => m.to === phone);

  it('defers one sent at 21:00 to 08:00 with its footer counted, and submits it only then', async () => {
    now = EVENING;
    const a = await account();
    const phone = '+255754100001';
    const plain = await a.call('POST', '/v1/sms/quote/', { message: TEXT_150, recipients: [phone] });
    expect(plain.json.data).toMatchObject({ segments: 1, deferred_until: null, held_until_resumed: false });
    const quote = await a.call('POST', '/v1/sms/quote/', promo([phone], TEXT_150));
    expect(quote.json.data).toMatchObject({
      segments: 2,
      cost: plain.json.data.cost * 2,
      schedule_time: new Date(NEXT_MORNING).toISOString(),
      deferred_until: new Date(NEXT_MORNING).toISOString(),
      held_until_resumed: false,
    });
    expect(quote.json.data.parts.join('')).toBe(`${TEXT_150}\n${FOOTER} ${a.number}`);

    const before = await a.balance();
    const sent = await a.call('POST', '/v1/sms/send/', promo([phone], TEXT_150));
    expect(sent.status).toBe(200);
    expect(sent.json.data).toMatchObject({
      status: 'scheduled',
      segments: 2,
      cost: quote.json.data.cost,
      deferred_until: new Date(NEXT_MORNING).toISOString(),
      held_until_resumed: false,
    });
    expect(await a.balance()).toBe(before - quote.json.data.cost);
    const id = sent.json.data.message_id;
    const status = await a.call('GET', `/v1/sms/status/${id}/`);
    expect(status.json.data.message).toBe(`${TEXT_150}\n${FOOTER} ${a.number}`);

    await g.mifumo.dispatchDue();
    now = NEXT_MORNING - 60_000; // 07:59
    await g.mifumo.dispatchDue();
    expect(submitted(phone)).toHaveLength(0);
    now = NEXT_MORNING;
    await g.mifumo.dispatchDue();
    expect(submitted(phone).map((m) => m.text)).toEqual([`${TEXT_150}\n${FOOTER} ${a.number}`]);
  });

  it('refuses a promotional send, quote or campaign of an account with no inbound number: nothing stored or charged', async () => {
    now = MIDDAY;
    const a = await account({ number: false });
    const before = await a.balance();
    const campaign = { name: 'Ofa', ...promo(['+255754100002']) };
    for (const [path, body] of [
      ['/v1/sms/send/', promo(['+255754100002'])],
      ['/v1/sms/quote/', promo(['+255754100002'])],
      ['/v1/campaigns', campaign],
      ['/v1/campaigns/quote', campaign],
    ] as const) {
      const r = await a.call('POST', path, body);
      expect([path, r.status, r.json.error_code, r.json.details]).toEqual([
        path,
        400,
        'OPT_OUT_REQUIRED',
        { setting: 'inbound_number' },
      ]);
    }
    expect(await a.balance()).toBe(before);
    const stored = await g.database.db
      .selectFrom('messages')
      .select('id')
      .where('account_id', '=', a.account.id)
      .execute();
    expect(stored).toEqual([]);
    expect((await a.call('GET', '/v1/campaigns')).json.data.campaigns).toEqual([]);
  });

  it('sends transactional and otp messages at 21:00 at once, without a footer', async () => {
    now = EVENING;
    const a = await account();
    for (const [phone, trafficClass] of [
      ['+255754100003', 'transactional'],
      ['+255754100004', 'otp'],
    ] as const) {
      const r = await a.call('POST', '/v1/sms/send/', {
        message: 'Nambari yako ni 1234',
        recipients: [phone],
        traffic_class: trafficClass,
      });
      expect(r.json.data).toMatchObject({
        status: 'queued',
        deferred_until: null,
        held_until_resumed: false,
      });
    }
    await g.mifumo.dispatchDue();
    expect(submitted('+255754100003').map((m) => m.text)).toEqual(['Nambari yako ni 1234']);
    expect(submitted('+255754100004').map((m) => m.text)).toEqual(['Nambari yako ni 1234']);
  });

  it('a pause holds promotional recipients already queued at dispatch, lets others flow, and resume lets them go', async () => {
    now = MIDDAY;
    const a = await account();
    const b = await account();
    const [pa, pb, ta] = ['+255754100005', '+255754100006', '+255754100007'];
    await a.call('POST', '/v1/sms/send/', promo([pa]));
    await b.call('POST', '/v1/sms/send/', promo([pb]));
    await a.call('POST', '/v1/sms/send/', { message: 'Risiti', recipients: [ta] });

    // One account paused: its promotional recipient waits (no attempt counted), the rest go.
    await g.mifumo.compliance.pause({ accountId: a.account.id });
    await g.mifumo.dispatchDue();
    expect([submitted(pa).length, submitted(pb).length, submitted(ta).length]).toEqual([0, 1, 1]);
    const row = await g.database.db
      .selectFrom('recipients')
      .select(['status', 'attempts', 'next_attempt_at'])
      .where('phone', '=', pa)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      status: 'queued',
      attempts: 0,
      next_attempt_at: new Date(now + HELD_RECHECK_MS).toISOString(),
    });
    now += HELD_RECHECK_MS;
    await g.mifumo.dispatchDue();
    expect(submitted(pa)).toHaveLength(0);

    // Gateway-wide: a new send of b is accepted as held, and waits with a's.
    await g.mifumo.compliance.pause();
    const held = await b.call('POST', '/v1/sms/send/', promo(['+255754100008']));
    expect(held.json.data).toMatchObject({
      status: 'scheduled',
      deferred_until: null,
      held_until_resumed: true,
    });
    const campaign = await b.call('POST', '/v1/campaigns', { name: 'Pause', ...promo(['+255754100010']) });
    expect(campaign.json.data).toMatchObject({
      status: 'scheduled',
      deferred_until: null,
      held_until_resumed: true,
    });
    await g.mifumo.dispatchDue();
    expect(submitted('+255754100008')).toHaveLength(0);
    expect(submitted('+255754100010')).toHaveLength(0);

    // Resumed: the held recipients go at the next dispatch, without waiting for their re-check.
    await g.mifumo.compliance.resume();
    await g.mifumo.compliance.resume({ accountId: a.account.id });
    await g.mifumo.dispatchDue();
    expect([pa, '+255754100008', '+255754100010'].map((p) => submitted(p).length)).toEqual([1, 1, 1]);
    const view = await b.call('GET', `/v1/campaigns/${campaign.json.data.id}`);
    expect(view.json.data.held_until_resumed).toBe(true);
    expect(view.json.data.status).not.toBe('scheduled');
  });

  it('a pause with an end defers promotional recipients until it ends', async () => {
    now = MIDDAY;
    const a = await account();
    const phone = '+255754100009';
    await g.mifumo.compliance.pause({ accountId: a.account.id, until: now + 3_600_000 });
    const r = await a.call('POST', '/v1/sms/send/', promo([phone]));
    expect(r.json.data).toMatchObject({
      status: 'scheduled',
      deferred_until: new Date(now + 3_600_000).toISOString(),
    });
    await g.mifumo.dispatchDue();
    now += 3_600_000 - 1000;
    await g.mifumo.dispatchDue();
    expect(submitted(phone)).toHaveLength(0);
    now += 1000;
    await g.mifumo.dispatchDue();
    expect(submitted(phone)).toHaveLength(1);
  });

  it('a campaign running into 20:00 stops submitting its promotional recipients then, and goes on at 08:00', async () => {
    now = at('2026-06-10T16:59:00Z'); // 19:59
    const a = await account();
    const phones = Array.from({ length: 5 }, (_, i) => `+25575420000${i}`);
    const c = await a.call('POST', '/v1/campaigns', { name: 'Jioni', ...promo(phones, 'Ofa {name|mteja}') });
    expect(c.json.data).toMatchObject({ status: 'sending', deferred_until: null, held_until_resumed: false });
    // Only part of it goes before 20:00 (one batch of two).
    const taken = await g.mifumo.dispatchDue({ maxBatches: 1 });
    expect(taken).toBeGreaterThan(0);
    const early = phones.filter((p) => submitted(p).length > 0).length;
    expect(early).toBeGreaterThan(0);
    now = at('2026-06-10T17:00:00Z'); // 20:00
    await g.mifumo.dispatchDue();
    expect(phones.filter((p) => submitted(p).length > 0).length).toBe(early);
    now = NEXT_MORNING;
    await g.mifumo.dispatchDue();
    expect(phones.map((p) => submitted(p).length)).toEqual([1, 1, 1, 1, 1]);
    expect(submitted(phones[0]!)[0]!.text).toBe(`Ofa mteja\n${FOOTER} ${a.number}`);
  });

  it('a promotional campaign accepted in quiet hours is scheduled for 08:00, and its view says so', async () => {
    now = EVENING;
    const a = await account();
    const body = { name: 'Usiku', ...promo(['+255754300001', '+255754300002']) };
    const quote = await a.call('POST', '/v1/campaigns/quote', body);
    expect(quote.json.data).toMatchObject({ deferred_until: new Date(NEXT_MORNING).toISOString() });
    expect(quote.json.data.sample[0].message).toBe(`Ofa leo\n${FOOTER} ${a.number}`);
    const c = await a.call('POST', '/v1/campaigns', body);
    expect(c.json.data).toMatchObject({
      status: 'scheduled',
      schedule_time: new Date(NEXT_MORNING).toISOString(),
      deferred_until: new Date(NEXT_MORNING).toISOString(),
    });
    const view = await a.call('GET', `/v1/campaigns/${c.json.data.id}`);
    expect(view.json.data).toMatchObject({ deferred_until: new Date(NEXT_MORNING).toISOString() });
    await g.mifumo.dispatchDue();
    expect(submitted('+255754300001')).toHaveLength(0);
    now = NEXT_MORNING;
    await g.mifumo.dispatchDue();
    expect(submitted('+255754300001')).toHaveLength(1);
  });
});
