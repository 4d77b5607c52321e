import { startAfricasTalkingServer, startBeemServer } from '@mifumo/adapters/testing';
import { configSchema } from '@mifumo/core';
import { afterEach, expect, it } from 'vitest';
import { startGateway } from './gateway';

const ADMIN = 'mk_live_httpcarriersadminkey01230123456789abcdef';
const TOKEN = 'callback-token-0123456789';
const auth = { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A gateway routing Vodacom to Beem (Africa's Talking as failover) and Airtel to Africa's Talking. */
async function gatewayWithAggregators(
  dispatch: Record<string, number> = {},
  atOptions: Parameters<typeof startAfricasTalkingServer>[0] = {},
) {
  const beem = await startBeemServer({ apiKey: 'bk', secretKey: 'bs' });
  const at = await startAfricasTalkingServer({ username: 'mifumo', apiKey: 'ak', ...atOptions });
  closers.push(beem.close, at.close);
  const config = configSchema.parse({
    carriers: [
      {
        id: 'beem',
        type: 'beem',
        apiKey: 'bk',
        secretKey: 'bs',
        baseUrl: beem.url,
        callbackToken: TOKEN,
      },
      {
        id: 'at',
        type: 'africastalking',
        username: 'mifumo',
        apiKey: 'ak',
        baseUrl: at.url,
        callbackToken: TOKEN,
      },
    ],
    routes: [
      { operators: ['vodacom'], carriers: ['beem', 'at'] },
      { operators: ['airtel'], carriers: ['at'] },
    ],
    limits: { smsPerMinute: 10_000 },
    dispatch,
  });
  const gw = await startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: 'file::memory:',
      adminKey: ADMIN,
      initialBalance: 10_000,
      config,
      secret: { value: 'ab'.repeat(32), file: '' },
    },
    { logger: { error: () => {} }, dispatchIntervalMs: 50 },
  );
  closers.push(gw.close);
  const api = `${gw.url}/api/integration`;
  beem.callbackTo(`${api}/v1/carriers/beem/callback/?token=${TOKEN}`);
  at.callbackTo(`${api}/v1/carriers/at/callback/?token=${TOKEN}`);
  return { gw, api, beem, at };
}

async function sendAndWait(api: string, recipients: string[]) {
  const sent = await fetch(`${api}/v1/sms/send/`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ message: 'Habari kutoka Mifumo', recipients }),
  }).then((r) => r.json());
  expect(sent.success).toBe(true);
  for (let i = 0; i < 200; i++) {
    const st = await fetch(`${api}/v1/sms/status/${sent.data.message_id}/`, { headers: auth }).then((r) =>
      r.json(),
    );
    if (
      st.data.recipients.every((r: { status: string }) => r.status === 'delivered' || r.status === 'failed')
    )
      return st.data.recipients as { phone: string; status: string }[];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('not final in 10 s');
}

const vodacom = Array.from({ length: 10 }, (_, i) => `+25575400${String(i).padStart(4, '0')}`);
const airtel = Array.from({ length: 10 }, (_, i) => `+25568400${String(i).padStart(4, '0')}`);

it('sends through Beem and Africa’s Talking by operator; their callbacks over HTTP mark every recipient delivered', async () => {
  const { api, beem, at } = await gatewayWithAggregators();
  const recipients = await sendAndWait(api, [...vodacom, ...airtel]);
  expect(recipients.map((r) => r.status)).toEqual(Array(20).fill('delivered'));
  expect(beem.sends.map((b) => (b.recipients as { dest_addr: string }[])[0]!.dest_addr).sort()).toEqual(
    vodacom.map((p) => p.slice(1)),
  );
  expect(at.sends.map((f) => f.get('to')).sort()).toEqual(airtel);
});

it('with Beem down, Vodacom traffic fails over to Africa’s Talking and Beem’s circuit opens', async () => {
  const { gw, api, beem, at } = await gatewayWithAggregators({
    breakerFailures: 3,
    breakerCooldownMs: 60_000,
  });
  await beem.close(); // connection refused from now on
  const recipients = await sendAndWait(api, vodacom);
  expect(recipients.map((r) => r.status)).toEqual(Array(10).fill('delivered'));
  expect(at.sends).toHaveLength(10);
  expect(await gw.mifumo.circuits()).toMatchObject({ beem: 'open', at: 'closed' });
});

it('a callback with a wrong token is refused 401 and changes nothing', async () => {
  const { api } = await gatewayWithAggregators();
  const res = await fetch(`${api}/v1/carriers/beem/callback/?token=wrong-token-0000000`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ request_id: '35918915', Status: 'DELIVERED' }),
  });
  expect(res.status).toBe(401);
  expect((await res.json()).error_code).toBe('INVALID_CREDENTIALS');
});

it('stores Africa’s Talking and Beem inbound callbacks over HTTP, each to the account of its number and carrier', async () => {
  const { gw, api, beem, at } = await gatewayWithAggregators();
  const [account] = await gw.mifumo.admin.listAccounts();
  const rules = { defaultRegion: 'TZ', carrierIds: ['beem', 'at'], allowPrivateNetworks: false };
  await gw.mifumo.admin.addNumber({ accountId: account!.id, number: '15678', keyword: 'DUKA' }, rules);
  await gw.mifumo.admin.addNumber({ accountId: account!.id, number: '15679', carrierId: 'beem' }, rules);
  const summary = async (answer: Promise<Response>) => (await (await answer).json()).data.inbound;

  // Africa's Talking: a form with `to`, no linkId (not a premium session).
  const fromAt = {
    date: '2026-12-01 10:04:45',
    from: '+255754000111',
    id: 'mo-1',
    text: 'Duka: sukari',
    to: '15678',
  };
  expect(await summary(at.inbound(fromAt))).toEqual({ stored: 1, duplicate: 0 });
  expect(await summary(at.inbound(fromAt))).toEqual({ stored: 0, duplicate: 1 });
  const fromBeem = {
    from: '255754000222',
    to: '15679',
    message: 'habari',
    timestamp: '2026-12-01T10:05:00Z',
    transaction_id: 'b-1',
  };
  expect(await summary(beem.inbound(fromBeem))).toEqual({ stored: 1, duplicate: 0 });
  // The number is Beem's only: the same number by Africa's Talking stays unassigned.
  await summary(at.inbound({ from: '+255754000333', id: 'mo-2', text: 'hi', to: '15679' }));

  const listed = await fetch(`${api}/v1/sms/inbound/`, { headers: auth }).then((r) => r.json());
  expect(listed.data.messages).toEqual([
    {
      id: expect.stringMatching(/^in_/),
      from: '+255754000222',
      to: '15679',
      text: 'habari',
      keyword: null,
      received_at: '2026-12-01T10:05:00.000Z',
      carrier_id: 'beem',
      in_reply_to: null,
    },
    {
      id: expect.stringMatching(/^in_/),
      from: '+255754000111',
      to: '15678',
      text: 'Duka: sukari',
      keyword: 'DUKA',
      received_at: '2026-12-01T10:04:45.000Z',
      carrier_id: 'at',
      in_reply_to: null,
    },
  ]);
  const unassigned = await gw.mifumo.admin.listInbound({ unassigned: true });
  expect(unassigned.map((m) => [m.from, m.to, m.carrier_id])).toEqual([['+255754000333', '15679', 'at']]);
});

it('an Africa’s Talking inbound callback carrying STOP opts the number out, answered from the number', async () => {
  const { gw, api, at } = await gatewayWithAggregators();
  const [account] = await gw.mifumo.admin.listAccounts();
  const rules = { defaultRegion: 'TZ', carrierIds: ['beem', 'at'], allowPrivateNetworks: false };
  await gw.mifumo.admin.addNumber({ accountId: account!.id, number: '15678' }, rules);
  const answer = await at.inbound({ from: '+255754000111', id: 'mo-stop', text: 'STOP', to: '15678' });
  expect((await answer.json()).data.inbound).toEqual({ stored: 1, duplicate: 0 });
  const optOuts = await fetch(`${api}/v1/opt-outs/`, { headers: auth }).then((r) => r.json());
  expect(optOuts.data.opt_outs).toMatchObject([{ phone_number: '+255754000111', source: 'keyword' }]);
  const messages = await fetch(`${api}/v1/sms/messages/`, { headers: auth }).then((r) => r.json());
  expect(messages.data.messages).toMatchObject([{ sender_id: '15678', traffic_class: 'transactional' }]);
});

it('Africa’s Talking saying the subscriber blocks the sender (a 406 UserInBlacklist answer, a UserInBlackList report) opts the number out; the next send to it is refused', async () => {
  const [refused, reported, fine] = airtel;
  const { api } = await gatewayWithAggregators(
    {},
    {
      blacklisted: (phone) => phone === refused,
      outcome: (phone) =>
        phone === reported ? { status: 'Failed', failureReason: 'UserInBlackList' } : { status: 'Success' },
    },
  );
  const recipients = await sendAndWait(api, [refused!, reported!, fine!]);
  expect(recipients.map((r) => [r.phone, r.status])).toEqual([
    [refused, 'failed'],
    [reported, 'failed'],
    [fine, 'delivered'],
  ]);
  const get = (path: string) => fetch(`${api}${path}`, { headers: auth }).then((r) => r.json());
  // The report's opt-out is recorded as it is applied; the callback may land just after the status says failed.
  let listed: { phone_number: string; source: string }[] = [];
  for (let i = 0; i < 100 && listed.length < 2; i++) {
    listed = (await get('/v1/opt-outs/')).data.opt_outs;
    if (listed.length < 2) await new Promise((r) => setTimeout(r, 50));
  }
  expect(listed.map((o) => [o.phone_number, o.source]).sort()).toEqual(
    [
      [refused, 'carrier'],
      [reported, 'carrier'],
    ].sort(),
  );
  const history = await get(`/v1/opt-outs/${encodeURIComponent(reported!)}/history/`);
  expect(history.data.events).toEqual([
    expect.objectContaining({ action: 'opted_out', source: 'carrier', evidence: 'at: UserInBlackList' }),
  ]);
  const again = await fetch(`${api}/v1/sms/send/`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ message: 'Tena', recipients: [refused, reported] }),
  }).then((r) => r.json());
  expect(again.error_code).toBe('RECIPIENT_OPTED_OUT');
});
