import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/databases';
import { manualClock, type TestGateway } from '../../test/harness';
import { webhookTestKit } from '../../test/webhook-gateways';
import { createFakeCarrier } from '../carriers/fake';

const { gatewayOn, receiver, send, events } = webhookTestKit();
const RULES = { defaultRegion: 'TZ', carrierIds: ['dev', 'alt'], allowPrivateNetworks: true };
const DAY = 86_400_000;

/** A second funded account with its admin key. */
const other = (g: TestGateway) => g.newAccount();

describe.each(ENGINES)('inbound messages on %s', (_name, open) => {
  it('assigns by number and folded first word (keyword first), keeps the rest unassigned, each carrier id once', async () => {
    const clock = manualClock(Date.UTC(2026, 4, 10, 9));
    const g = await gatewayOn(open, { clock });
    const b = await other(g);
    const a = g.account.id;
    await g.mifumo.admin.addNumber({ accountId: a, number: '15678', keyword: 'duka' }, RULES);
    await g.mifumo.admin.addNumber({ accountId: b.account.id, number: '15678', keyword: 'Shulé' }, RULES);
    await g.mifumo.admin.addNumber({ accountId: a, number: '0754999000' }, RULES);
    await g.mifumo.admin.addNumber({ accountId: b.account.id, number: '15600', carrierId: 'alt' }, RULES);
    const receive = (to: string, text: string, id?: string) => {
      clock.advance(1000); // each later than the one before: listings are newest first
      return g.carrier.receive({ from: '255754000111', to, text, ...(id ? { carrierMessageId: id } : {}) });
    };

    expect(await receive('15678', '#Dúka, nataka sukari', 'm1')).toBe('stored');
    expect(await receive('15678', 'shule ada', 'm1')).toBe('duplicate'); // the same carrier id
    await receive('15678', 'SHULE: ada ya muhula');
    await receive('15678', 'habari'); // no keyword, and the number has no keyword-less row
    await receive('+255 754 999 000', 'duka? hapana, habari');
    await receive('15600', 'hello'); // bound to another carrier
    await receive('99999', 'anyone?');

    const rows = await g.database.db
      .selectFrom('inbound_messages')
      .select(['sender', 'recipient', 'body', 'account_id', 'keyword'])
      .execute();
    const byBody = Object.fromEntries(rows.map(({ body, ...r }) => [body, r]));
    const from = '+255754000111';
    expect(byBody).toEqual({
      '#Dúka, nataka sukari': { sender: from, recipient: '15678', account_id: a, keyword: 'DUKA' },
      'SHULE: ada ya muhula': {
        sender: from,
        recipient: '15678',
        account_id: b.account.id,
        keyword: 'SHULE',
      },
      habari: { sender: from, recipient: '15678', account_id: null, keyword: null },
      'duka? hapana, habari': { sender: from, recipient: '+255754999000', account_id: a, keyword: null },
      hello: { sender: from, recipient: '15600', account_id: null, keyword: null },
      'anyone?': { sender: from, recipient: '99999', account_id: null, keyword: null },
    });

    // Each account lists its own, newest first; the operator sees the unassigned.
    const mine = (await g.call('GET', '/v1/sms/inbound/')).json.data;
    expect(mine.messages.map((m: { text: string }) => m.text)).toEqual([
      'duka? hapana, habari',
      '#Dúka, nataka sukari',
    ]);
    expect(mine.pagination).toEqual({ page: 1, per_page: 50, total: 2, total_pages: 1 });
    const theirs = (await g.call('GET', '/v1/sms/inbound/', { key: b.key })).json.data.messages;
    expect(theirs).toEqual([
      {
        id: expect.stringMatching(/^in_/),
        from: '+255754000111',
        to: '15678',
        text: 'SHULE: ada ya muhula',
        keyword: 'SHULE',
        received_at: expect.any(String),
        carrier_id: 'dev',
        in_reply_to: null,
      },
    ]);
    const unassigned = await g.mifumo.admin.listInbound({ unassigned: true });
    expect(unassigned.map((m) => m.text)).toEqual(['anyone?', 'hello', 'habari']);
    expect((await g.mifumo.admin.listInbound({ accountId: b.account.id })).map((m) => m.id)).toEqual([
      theirs[0].id,
    ]);

    // One account's message is not found by another.
    const mineOne = await g.call('GET', `/v1/sms/inbound/${mine.messages[0].id}/`);
    expect(mineOne.json.data).toEqual(mine.messages[0]);
    const hidden = await g.call('GET', `/v1/sms/inbound/${theirs[0].id}/`);
    expect([hidden.status, hidden.json.error_code]).toEqual([404, 'NOT_FOUND']);
  });

  it('filters by from, to, keyword and date, pages like delivery reports, and refuses unknown parameters', async () => {
    const clock = manualClock(Date.UTC(2026, 4, 10, 9));
    const g = await gatewayOn(open, { clock });
    await g.mifumo.admin.addNumber({ accountId: g.account.id, number: '15678', keyword: 'DUKA' }, RULES);
    await g.mifumo.admin.addNumber({ accountId: g.account.id, number: '15678' }, RULES);
    const at = (day: number) => Date.UTC(2026, 4, day, 12);
    await g.carrier.receive({ from: '+255754000111', to: '15678', text: 'duka 1', at: at(1) });
    await g.carrier.receive({ from: '0754000222', to: '15678', text: 'hi 2', at: at(2) });
    await g.carrier.receive({ from: '+255754000111', to: '15678', text: 'hi 3', at: at(3) });
    const list = async (query: string) =>
      (await g.call('GET', `/v1/sms/inbound/?${query}`)).json.data.messages.map(
        (m: { text: string }) => m.text,
      );
    expect(await list('from=0754000111')).toEqual(['hi 3', 'duka 1']);
    expect(await list('keyword=dúka')).toEqual(['duka 1']);
    expect(await list('to=15678&start_date=2026-05-02&end_date=2026-05-02')).toEqual(['hi 2']);
    expect(await list('per_page=1&page=2')).toEqual(['hi 2']);
    const paged = (await g.call('GET', '/v1/sms/inbound/?per_page=2')).json.data.pagination;
    expect(paged).toEqual({ page: 1, per_page: 2, total: 3, total_pages: 2 });
    const unknown = await g.call('GET', '/v1/sms/inbound/?colour=red');
    expect([unknown.status, unknown.json.error_code, unknown.json.details]).toEqual([
      400,
      'VALIDATION_ERROR',
      [{ field: 'colour', message: expect.any(String) }],
    ]);
    const backwards = await g.call('GET', '/v1/sms/inbound/?start_date=2026-05-03&end_date=2026-05-01');
    expect(backwards.json.details).toEqual([{ field: 'start_date', message: 'is after end_date' }]);
  });

  it('links a message to the account’s latest message to its sender within 7 days (in_reply_to)', async () => {
    const clock = manualClock(Date.UTC(2026, 4, 10, 9));
    const g = await gatewayOn(open, { clock });
    const b = await other(g);
    await g.mifumo.admin.addNumber({ accountId: g.account.id, number: '15678' }, RULES);
    await send(g, { recipients: ['+255754000111'] });
    clock.advance(1000);
    const latest = await send(g, { recipients: ['+255754000111', '+255754000222'] });
    await send(g, { recipients: ['+255754000111'] }, b.key); // another account's
    clock.advance(1000);
    await send(g, { recipients: ['+255754000333'] });
    await g.carrier.receive({ from: '0754000111', to: '15678', text: 'sawa', at: clock.now() + DAY });
    await g.carrier.receive({ from: '0754000222', to: '15678', text: 'late', at: clock.now() + 8 * DAY });
    await g.carrier.receive({ from: '0754000444', to: '15678', text: 'stranger' });
    const listed = (await g.call('GET', '/v1/sms/inbound/')).json.data.messages;
    expect(
      Object.fromEntries(listed.map((m: { text: string; in_reply_to: string }) => [m.text, m.in_reply_to])),
    ).toEqual({
      sawa: latest,
      late: null,
      stranger: null,
    });
  });

  it('POSTs message.received signed to the number’s URL, else the account’s; none without either', async () => {
    const numberRx = await receiver();
    const accountRx = await receiver();
    const clock = manualClock(Date.now());
    const g = await gatewayOn(open, { clock });
    const b = await other(g);
    const a = g.account.id;
    await g.call('PUT', '/v1/webhooks/', { body: { url: accountRx.url } });
    await g.mifumo.admin.addNumber(
      { accountId: a, number: '15678', keyword: 'DUKA', webhookUrl: numberRx.url },
      RULES,
    );
    await g.mifumo.admin.addNumber({ accountId: a, number: '15678' }, RULES);
    await g.mifumo.admin.addNumber({ accountId: b.account.id, number: '15679' }, RULES); // no URL anywhere
    await send(g, { recipients: ['+255754000111'] });
    await g.dispatchAndSettle();
    await g.mifumo.deliverWebhooksDue(); // the account's own status events, out of the way
    accountRx.received.length = 0;

    const stored = await g.carrier.receive({ from: '+255754000111', to: '15678', text: 'Duka: sukari 2kg' });
    clock.advance(1000);
    await g.carrier.receive({ from: '+255754000111', to: '15678', text: 'asante' });
    await g.carrier.receive({ from: '+255754000111', to: '15679', text: 'nobody listens' });
    expect(stored).toBe('stored');
    expect(await g.mifumo.deliverWebhooksDue()).toBe(2);

    const [inDuka, inPlain] = (await g.call('GET', '/v1/sms/inbound/')).json.data.messages.reverse();
    const messageId = (await g.call('GET', '/v1/sms/messages/')).json.data.messages[0].message_id;
    expect(numberRx.received.map((r) => r.json)).toEqual([
      {
        event: 'message.received',
        inbound_id: inDuka.id,
        from: '+255754000111',
        to: '15678',
        text: 'Duka: sukari 2kg',
        keyword: 'DUKA',
        received_at: inDuka.received_at,
        in_reply_to: messageId,
      },
    ]);
    expect(accountRx.received.map((r) => r.json)).toEqual([
      expect.objectContaining({ event: 'message.received', inbound_id: inPlain.id, keyword: null }),
    ]);
    const { signing_secret } = (await g.call('GET', '/v1/webhooks/')).json.data;
    for (const r of [...numberRx.received, ...accountRx.received]) {
      expect(r.headers.get('authorization')).toBeNull(); // no key sent it
      const timestamp = r.headers.get('x-mifumo-timestamp')!;
      const expected = createHmac('sha256', signing_secret).update(`${timestamp}.${r.body}`).digest('hex');
      expect(r.headers.get('x-mifumo-signature')).toBe(`v1=${expected}`);
    }
    const outbox = (await events(g)).filter((e) => e.event === 'received');
    expect(outbox.map((e) => [e.recipient_id, e.message_id, e.status])).toEqual([
      [inDuka.id, inDuka.id, 'succeeded'],
      [inPlain.id, inPlain.id, 'succeeded'],
    ]);
    expect(await g.mifumo.deliverWebhooksDue()).toBe(0); // nothing twice
    const deliveries = (await g.call('GET', '/v1/webhooks/deliveries/')).json.data.deliveries;
    expect(deliveries.filter((d: { event: string }) => d.event === 'received')).toHaveLength(2);
  });

  it('answers an inbound message with reply_to: to its sender, from its number, shown in the status', async () => {
    const g = await gatewayOn(open);
    const b = await other(g);
    await g.mifumo.admin.addNumber({ accountId: g.account.id, number: '15678' }, RULES);
    await g.mifumo.admin.addNumber({ accountId: b.account.id, number: '15679' }, RULES);
    await g.carrier.receive({ from: '255754000111', to: '15678', text: 'bei?' });
    await g.carrier.receive({ from: '255754000222', to: '15679', text: 'theirs' });
    const [mine] = (await g.call('GET', '/v1/sms/inbound/')).json.data.messages;
    const [theirs] = (await g.call('GET', '/v1/sms/inbound/', { key: b.key })).json.data.messages;

    const quote = await g.call('POST', '/v1/sms/quote/', { body: { message: 'Elfu', reply_to: mine.id } });
    expect(quote.json.data).toMatchObject({ recipients: ['+255754000111'], sender_id: '15678' });
    const sent = await g.call('POST', '/v1/sms/send/', {
      body: { message: 'Elfu mbili', reply_to: mine.id },
    });
    expect(sent.json.data).toMatchObject({ recipients: ['+255754000111'], sender_id: '15678' });
    await g.dispatchAndSettle();
    expect(g.carrier.sent.at(-1)).toMatchObject({ to: '+255754000111', from: '15678', text: 'Elfu mbili' });
    const status = await g.call('GET', `/v1/sms/status/${sent.json.data.message_id}/`);
    expect(status.json.data).toMatchObject({ reply_to: mine.id, sender_id: '15678', status: 'delivered' });
    const same = await g.call('POST', '/v1/sms/send/', {
      body: { message: 'Tena', reply_to: mine.id, recipients: ['0754000111'], sender_id: 'MIFUMO' },
    });
    expect(same.json.data).toMatchObject({ recipients: ['+255754000111'], sender_id: 'MIFUMO' });

    const wrong = await g.call('POST', '/v1/sms/send/', {
      body: { message: 'x', reply_to: mine.id, recipients: ['+255754000111', '+255754000999'] },
    });
    expect([wrong.status, wrong.json.error_code, wrong.json.details]).toEqual([
      400,
      'VALIDATION_ERROR',
      [
        {
          field: 'recipients',
          message: 'must be +255754000111, the number reply_to came from (or left out)',
        },
      ],
    ]);
    const missing = await g.call('POST', '/v1/sms/send/', { body: { message: 'x' } });
    expect(missing.json.details).toEqual([
      { field: 'recipients', message: 'is required (unless reply_to is given)' },
    ]);
    for (const id of [theirs.id, 'in_nothing']) {
      const r = await g.call('POST', '/v1/sms/send/', { body: { message: 'x', reply_to: id } });
      expect([r.status, r.json.error_code, r.json.message]).toEqual([
        404,
        'NOT_FOUND',
        `No inbound message ${id} to reply to`,
      ]);
    }
    expect((await g.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(5000 - 20);
  });

  it('lists the account’s numbers, and the operator’s refusals name what is wrong', async () => {
    const g = await gatewayOn(open);
    const b = await other(g);
    const a = g.account.id;
    const duka = await g.mifumo.admin.addNumber(
      { accountId: a, number: '15678', keyword: 'duka', carrierId: 'dev', webhookUrl: 'https://h.example/x' },
      RULES,
    );
    await g.mifumo.admin.addNumber({ accountId: b.account.id, number: '+255754999000' }, RULES);
    const listed = await g.call('GET', '/v1/numbers/');
    expect(listed.json.data).toEqual({
      numbers: [
        {
          id: duka.id,
          number: '15678',
          keyword: 'DUKA',
          carrier_id: 'dev',
          webhook_url: 'https://h.example/x',
          created_at: expect.any(String),
        },
      ],
    });
    expect(duka.id).toMatch(/^num_/);

    const refused = async (input: Parameters<typeof g.mifumo.admin.addNumber>[0]) =>
      g.mifumo.admin.addNumber(input, { ...RULES, allowPrivateNetworks: false }).then(
        () => null,
        (e) => [e.code, e.message],
      );
    expect(await refused({ accountId: 'acc_nobody', number: '15000' })).toEqual([
      'NOT_FOUND',
      'No account acc_nobody',
    ]);
    expect(await refused({ accountId: a, number: '15000', carrierId: 'nope' })).toEqual([
      'VALIDATION_ERROR',
      'carrier "nope" is not a configured carrier (dev, alt)',
    ]);
    expect(await refused({ accountId: b.account.id, number: '15678', keyword: 'DÚKA!' })).toEqual([
      'CONFLICT',
      `15678 with keyword DUKA is already held by account ${a}`,
    ]);
    expect(await refused({ accountId: a, number: '0754 999 000' })).toEqual([
      'CONFLICT',
      `+255754999000 is already held by account ${b.account.id}`,
    ]);
    expect(await refused({ accountId: a, number: '12' })).toEqual([
      'VALIDATION_ERROR',
      'number "12" is neither a short code (3-8 digits) nor a phone number',
    ]);
    expect(await refused({ accountId: a, number: '15000', keyword: 'two words' })).toEqual([
      'VALIDATION_ERROR',
      'keyword "two words" must be one word of letters and digits',
    ]);
    expect(await refused({ accountId: a, number: '15000', webhookUrl: 'http://127.0.0.1/x' })).toEqual([
      'VALIDATION_ERROR',
      'webhook_url: 127.0.0.1 is a loopback address',
    ]);

    const removed = await g.mifumo.admin.removeNumber('15678', 'Duka', 'TZ');
    expect(removed.id).toBe(duka.id);
    expect((await g.call('GET', '/v1/numbers/')).json.data.numbers).toEqual([]);
    await expect(g.mifumo.admin.removeNumber('15678', 'duka', 'TZ')).rejects.toThrow(
      'No number 15678 with keyword DUKA',
    );
  });
});

describe('a reply’s carrier', () => {
  it('goes back by the carrier its message came in on when that carrier is on its route', async () => {
    const dev = createFakeCarrier({ id: 'dev', deliveryDelayMs: 0, keepSent: true });
    const alt = createFakeCarrier({ id: 'alt', deliveryDelayMs: 0, keepSent: true });
    const g = await gatewayOn(ENGINES[0]![1], { adapters: [dev, alt] });
    await g.mifumo.admin.addNumber({ accountId: g.account.id, number: '15678' }, RULES);
    await alt.receive({ from: '+255754000111', to: '15678', text: 'hi' });
    await send(g, { recipients: ['+255754000111'] });
    const [inbound] = (await g.call('GET', '/v1/sms/inbound/')).json.data.messages;
    await send(g, { reply_to: inbound.id });
    await g.dispatchAndSettle();
    expect(dev.sent.map((m) => m.from)).toEqual(['MIFUMO']); // the plain send: the route's first carrier
    expect(alt.sent.map((m) => [m.from, m.to])).toEqual([['15678', '+255754000111']]);
  });
});
