import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/databases';
import { manualClock, type TestGateway } from '../../test/harness';
import { webhookTestKit } from '../../test/webhook-gateways';

const { gatewayOn } = webhookTestKit();
const RULES = { defaultRegion: 'TZ', carrierIds: ['dev'], allowPrivateNetworks: true };
const PHONE = '+255754000111';

/** The account's messages (the gateway's replies among them), oldest first. */
const messagesOf = (g: TestGateway, accountId: string) =>
  g.database.db
    .selectFrom('messages')
    .select(['sender_id', 'body', 'cost', 'reply_to', 'traffic_class'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
    .then((rows) => rows.map((m) => ({ ...m, cost: Number(m.cost) })));

const balanceOf = async (g: TestGateway, accountId: string) =>
  Number(
    (
      await g.database.db
        .selectFrom('accounts')
        .select('balance')
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow()
    ).balance,
  );

const eventsOf = (g: TestGateway, accountId: string) =>
  g.database.db
    .selectFrom('consent_events')
    .select(['action', 'source', 'inbound_id', 'evidence'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

describe.each(ENGINES)('keywords on %s', (_name, open) => {
  it('opts out on ACHA in the step that stores it (once per carrier id), answers from the number, charged; START and HELP too', async () => {
    const clock = manualClock(Date.UTC(2026, 4, 10, 9));
    const g = await gatewayOn(open, { clock });
    const a = g.account.id;
    await g.mifumo.admin.addNumber({ accountId: a, number: '15678' }, RULES);
    await g.mifumo.compliance.setSettings(a, { optOutReply: 'Out of {sender}', helpReply: 'Help {sender}' });
    const receive = (text: string, id?: string) => {
      clock.advance(1000);
      return g.carrier.receive({ from: PHONE, to: '15678', text, ...(id ? { carrierMessageId: id } : {}) });
    };
    const before = await balanceOf(g, a);

    expect(await receive('Acha.', 'm1')).toBe('stored');
    expect(await receive('Acha.', 'm1')).toBe('duplicate'); // the carrier's repeat: nothing more
    const [inbound] = await g.database.db.selectFrom('inbound_messages').select('id').execute();
    const optOuts = (await g.call('GET', '/v1/opt-outs/')).json.data.opt_outs;
    expect(optOuts).toEqual([
      {
        phone_number: PHONE,
        reason: null,
        source: 'keyword',
        inbound_id: inbound!.id,
        created_at: expect.any(String),
      },
    ]);
    expect(await eventsOf(g, a)).toEqual([
      {
        action: 'opted_out',
        source: 'keyword',
        inbound_id: inbound!.id,
        evidence: `SMS "Acha." (inbound ${inbound!.id})`,
      },
    ]);
    // One confirmation, from the number it came in on, sent though the number is opted out, charged.
    expect(await messagesOf(g, a)).toEqual([
      {
        sender_id: '15678',
        body: 'Out of Test',
        cost: 1000,
        reply_to: inbound!.id,
        traffic_class: 'transactional',
      },
    ]);
    expect(await balanceOf(g, a)).toBe(before - 1000);
    // The dispatcher sends it too: it was accepted after the opt-out, knowingly.
    await g.dispatchAndSettle();
    expect(g.carrier.sent.map((m) => [m.to, m.from, m.text])).toEqual([[PHONE, '15678', 'Out of Test']]);

    await receive('ACHA tafadhali'); // already opted out: answered again, logged once
    await receive('Start', 'm2');
    // Repeats of stored carrier ids act no more, even where they would change something now.
    expect(await receive('Acha.', 'm1')).toBe('duplicate');
    expect((await g.call('GET', '/v1/opt-outs/')).json.data.opt_outs).toEqual([]);
    await g.mifumo.consent.optOut(a, PHONE, { source: 'api' });
    expect(await receive('Start', 'm2')).toBe('duplicate');
    expect(await g.mifumo.consent.suppressed(a, [PHONE])).toEqual(new Set([PHONE]));
    await receive('anza');
    await receive('msaada!');
    await receive('asante, acha'); // not the first word: stored only
    const history = (await g.call('GET', `/v1/opt-outs/${encodeURIComponent(PHONE)}/history/`)).json.data;
    expect(history.events.map((e: { action: string; source: string }) => [e.action, e.source])).toEqual([
      ['opted_out', 'keyword'],
      ['opted_in', 'keyword'],
      ['opted_out', 'api'],
      ['opted_in', 'keyword'],
    ]);
    expect((await g.call('GET', '/v1/opt-outs/')).json.data.opt_outs).toEqual([]);
    const bodies = (await messagesOf(g, a)).map((m) => m.body);
    expect(bodies).toEqual([
      'Out of Test',
      'Out of Test',
      expect.stringContaining('You are subscribed to Test again'),
      expect.stringContaining('You are subscribed to Test again'),
      'Help Test',
    ]);
    expect(await g.database.db.selectFrom('inbound_messages').select('id').execute()).toHaveLength(6);
  });

  it('at dispatch, a reply accepted before the opt-out is left out; the answer to the STOP goes', async () => {
    const clock = manualClock(Date.UTC(2026, 4, 10, 9));
    const g = await gatewayOn(open, { clock });
    await g.mifumo.admin.addNumber({ accountId: g.account.id, number: '15678' }, RULES);
    await g.carrier.receive({ from: PHONE, to: '15678', text: 'bei gani?' });
    const [question] = await g.database.db.selectFrom('inbound_messages').select('id').execute();
    const reply = await g.call('POST', '/v1/sms/send/', {
      body: { message: 'Elfu mbili', reply_to: question!.id },
    });
    expect(reply.status).toBe(200);
    clock.advance(1000);
    await g.carrier.receive({ from: PHONE, to: '15678', text: 'STOP' });
    await g.dispatchAndSettle();
    expect(g.carrier.sent.map((m) => m.text)).toEqual([expect.stringContaining('You are unsubscribed')]);
    const status = await g.call('GET', `/v1/sms/status/${reply.json.data.message_id}/`);
    expect(status.json.data.status).toBe('failed');
  });

  it('on a shared short code acts for the routing keyword’s account; a plain STOP opts out of every account there', async () => {
    const clock = manualClock(Date.UTC(2026, 4, 10, 9));
    const g = await gatewayOn(open, { clock });
    const a = g.account.id;
    const b = (await g.newAccount()).account.id;
    const c = (await g.newAccount()).account.id;
    await g.mifumo.admin.addNumber({ accountId: a, number: '15678', keyword: 'DUKA' }, RULES);
    await g.mifumo.admin.addNumber({ accountId: b, number: '15678', keyword: 'SHULE' }, RULES);
    await g.mifumo.admin.addNumber({ accountId: c, number: '15999' }, RULES);
    const receive = (to: string, text: string, from = PHONE) => {
      clock.advance(1000);
      return g.carrier.receive({ from, to, text });
    };
    const optedOut = async (accountId: string) =>
      (
        await g.database.db
          .selectFrom('opt_outs')
          .select('phone')
          .where('account_id', '=', accountId)
          .execute()
      ).map((r) => r.phone);

    await receive('15678', 'Duka, ACHA!');
    expect([await optedOut(a), await optedOut(b)]).toEqual([[PHONE], []]);
    expect((await messagesOf(g, a)).map((m) => m.sender_id)).toEqual(['15678']);
    expect(await messagesOf(g, b)).toEqual([]);

    await receive('15678', 'DUKA nataka sukari'); // the keyword, no action word
    await receive('15678', 'ANZA', '+255754000222'); // opt-in without a routing keyword: no account
    await receive('15678', 'HELP', '+255754000222');
    expect(await messagesOf(g, b)).toEqual([]);

    await receive('15678', 'stop', '+255754000222');
    expect([await optedOut(a), await optedOut(b), await optedOut(c)]).toEqual([
      [PHONE, '+255754000222'].sort(),
      ['+255754000222'],
      [],
    ]);
    expect((await messagesOf(g, a)).map((m) => m.sender_id)).toEqual(['15678', '15678']);
    expect((await messagesOf(g, b)).map((m) => [m.sender_id, m.traffic_class])).toEqual([
      ['15678', 'transactional'],
    ]);
    expect((await eventsOf(g, b)).map((e) => e.source)).toEqual(['keyword']);

    await receive('19999', 'STOP'); // no account's number: nothing changes
    expect(await optedOut(c)).toEqual([]);
  });

  it('records the opt-out but sends no confirmation it cannot pay for: one log line', async () => {
    const lines: string[] = [];
    const g = await gatewayOn(open, { balance: 0, logger: { error: (m) => lines.push(m) } });
    const a = g.account.id;
    await g.mifumo.admin.addNumber({ accountId: a, number: '15678' }, RULES);
    expect(await g.mifumo.receive('dev', { from: PHONE, to: '15678', text: 'STOP' })).toMatchObject({
      outcome: 'stored',
    });
    const [inbound] = await g.database.db.selectFrom('inbound_messages').select('id').execute();
    expect((await g.call('GET', '/v1/opt-outs/')).json.data.opt_outs).toHaveLength(1);
    expect(await messagesOf(g, a)).toEqual([]);
    expect(lines).toEqual([
      `Keyword reply of account ${a} to inbound ${inbound!.id} not sent (INSUFFICIENT_BALANCE: Account balance too low for this message)`,
    ]);
  });
});
