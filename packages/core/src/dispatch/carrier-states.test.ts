import { expect, it } from 'vitest';
import { createTestGateway, manualClock, TEST_SECRET } from '../../test/harness';
import { scriptedCarrier } from '../../test/scripted-carrier';
import type { CarrierAdapter, CarrierStatus } from '../carriers/contract';
import { createMifumo } from '../mifumo';

/** An SMPP-like carrier whose link state the test sets. */
function linkedCarrier() {
  let status: CarrierStatus = { state: 'connecting' };
  let submits = 0;
  const adapter: CarrierAdapter = {
    id: 'smsc',
    type: 'smpp',
    status: () => status,
    async submit() {
      return { carrierMessageIds: [`s${++submits}`] };
    },
  };
  return {
    adapter,
    submits: () => submits,
    set: (s: CarrierStatus) => {
      status = s;
    },
  };
}

it('a carrier that is down: nothing sent to it, recipients wait with CARRIER_UNAVAILABLE, logged once per change, shown to admins', async () => {
  const clock = manualClock();
  const carrier = linkedCarrier();
  const logged: string[] = [];
  const g = await createTestGateway({ clock, adapters: [carrier.adapter] });
  // The harness's gateway logs nothing: a second instance on its database dispatches, with a log.
  const watched = createMifumo({
    secret: TEST_SECRET,
    storage: g.database,
    carriers: [carrier.adapter],
    config: { carriers: [{ id: 'smsc', type: 'smpp' }] },
    clock,
    logger: { error: (m) => logged.push(m) },
  });
  try {
    const down = { message: '127.0.0.1:2775: connect ECONNREFUSED 127.0.0.1:2775', at: clock.now() };
    carrier.set({ state: 'down', lastError: down });
    const id = (
      await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients: ['+255754000111'] } })
    ).json.data.message_id;
    for (let i = 0; i < 3; i++) await watched.dispatchDue();
    expect(carrier.submits()).toBe(0);
    const st = (await g.call('GET', `/v1/sms/status/${id}/`)).json.data;
    expect(st.recipients[0]).toMatchObject({
      status: 'queued',
      error: {
        code: 'CARRIER_UNAVAILABLE',
        message:
          'No carrier on its route can take it now: smsc is down (127.0.0.1:2775: connect ECONNREFUSED 127.0.0.1:2775)',
      },
    });
    expect(logged).toEqual([
      'carrier smsc is down (127.0.0.1:2775: connect ECONNREFUSED 127.0.0.1:2775): messages routed only to it wait',
    ]);
    const listed = await g.call('GET', '/v1/carriers/');
    expect(listed.status).toBe(200);
    expect(listed.json.data.carriers).toEqual([
      {
        id: 'smsc',
        type: 'smpp',
        state: 'down',
        last_error: { message: down.message, at: new Date(down.at).toISOString() },
        in_flight: 0,
        submits_last_minute: 0,
      },
    ]);
    const { key } = await g.newAccount(100, ['read', 'write']);
    expect((await g.call('GET', '/v1/carriers/', { key })).status).toBe(403);

    // It binds again: the recipient goes at its next try, and the change is logged once.
    carrier.set({ state: 'bound', lastError: down });
    clock.advance(60_000);
    await watched.dispatchDue();
    await watched.dispatchDue();
    expect(carrier.submits()).toBe(1);
    expect((await g.call('GET', `/v1/sms/status/${id}/`)).json.data.status).toBe('sent');
    expect(logged.slice(1)).toEqual(['carrier smsc is bound again']);
  } finally {
    await watched.close();
    await g.close();
  }
});

it('a carrier skipped after repeated failures shows breaker_open with its last error, and counts its submits', async () => {
  const clock = manualClock();
  const a = scriptedCarrier({ id: 'a', outcomes: ['ok', 'retryable', 'retryable'] });
  const g = await createTestGateway({
    clock,
    adapters: [a.adapter],
    config: { dispatch: { breakerFailures: 2, breakerCooldownMs: 60_000 } },
  });
  try {
    await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients: ['+255754000111'] } });
    await g.mifumo.dispatchDue();
    await g.call('POST', '/v1/sms/send/', {
      body: { message: 'hi', recipients: ['+255754000112', '+255754000113'] },
    });
    await g.mifumo.dispatchDue();
    expect(await g.mifumo.carriers()).toEqual([
      {
        id: 'a',
        type: 'scripted',
        state: 'breaker_open',
        last_error: { message: '0x58: throttled', at: new Date(clock.now()).toISOString() },
        in_flight: 0,
        submits_last_minute: 3,
      },
    ]);
    clock.advance(61_000);
    expect((await g.mifumo.carriers())[0]).toMatchObject({ state: 'breaker_open', submits_last_minute: 0 });
  } finally {
    await g.close();
  }
});

it('submits of a batch cut off together by its deadline count once against the breaker, not once each', async () => {
  const a = scriptedCarrier({ id: 'a', outcomes: Array(6).fill('hang') });
  const g = await createTestGateway({
    adapters: [a.adapter],
    // The batch's submits get half the claim's time: 100 ms here.
    config: { dispatch: { claimTimeoutMs: 200, breakerFailures: 5, retryBaseMs: 60_000 } },
  });
  try {
    const recipients = Array.from({ length: 6 }, (_, i) => `+25575400011${i}`);
    await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients } });
    expect(await g.mifumo.dispatchDue()).toBe(6);
    expect(a.calls).toHaveLength(6);
    expect((await g.mifumo.carriers())[0]).toMatchObject({ state: 'ready' });
  } finally {
    await g.close();
  }
});
