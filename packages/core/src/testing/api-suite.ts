import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvTable } from './csv-table';

export interface ApiReply {
  status: number;
  /** The body parsed, when it is JSON (`Content-Type` names json); null otherwise. */
  // biome-ignore lint/suspicious/noExplicitAny: the suite reads arbitrary JSON
  json: any;
  /** The body as text (a CSV export's file). */
  text: string;
  /** Response headers, lower-case names. */
  headers?: Record<string, string>;
}

/** A running gateway as the shared API suite drives it: over its HTTP API, whatever the engine. */
export interface ApiTarget {
  /** A request to `/api/integration` + `path`; `key` null sends no Authorization header. */
  call(
    method: string,
    path: string,
    init?: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<ApiReply>;
  /** Runs one round of background work (dispatch, receipts, webhooks), as the runtime would. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The operator key every runtime's gateway runs the suite with: the suite makes its accounts, keys and
 * numbers, and pauses promotional traffic, through the operator commands, as an operator would.
 */
export const SUITE_OPERATOR_KEY = 'mk_op_suiteoperator0123456789abcdefghij';

/** The callback token of the suite's Africa's Talking carrier, whose incoming-message callbacks bring inbound messages in. */
export const SUITE_CALLBACK_TOKEN = 'suite-callback-token-0123456789';

/**
 * The carriers every runtime's gateway runs the suite with: the fake one (`dev`) sends everything, and
 * an Africa's Talking carrier (`at`), routed nothing, takes incoming-message callbacks.
 */
export const SUITE_CONFIG = {
  carriers: [
    { id: 'dev', type: 'fake', deliveryDelayMs: 0 },
    {
      id: 'at',
      type: 'africastalking',
      username: 'suite',
      apiKey: 'suite',
      callbackToken: SUITE_CALLBACK_TOKEN,
    },
  ],
  routes: [{ carriers: ['dev'] }],
  // Quiet all day but the minute before midnight (UTC), so a promotional send is put off whatever the time.
  compliance: { quietHours: { start: '00:00', end: '23:59', timeZone: 'UTC' } },
};

const SEND = { message: 'Hello from Mifumo SMS!', recipients: ['+255123456789'], sender_id: 'MIFUMO' };
const ENVELOPE = ['data', 'details', 'error_code', 'message', 'success'];

/**
 * The HTTP API as a user sees it (every seed endpoint, the error codes, account isolation,
 * idempotency, concurrency on the balance), for every engine: each runtime runs it against its own
 * gateway (Node + SQLite, Node + PostgreSQL, workerd + D1) with the same expectations.
 */
export function runApiSuite(name: string, start: () => Promise<ApiTarget>) {
  describe(`HTTP API on ${name}`, () => {
    let t: ApiTarget;
    let key: string;
    /** Runs a `mifumo` command on the gateway with the operator key; fails the test if it is refused. */
    async function operator(...argv: string[]) {
      const r = await t.call('POST', '/operator/commands/', { key: SUITE_OPERATOR_KEY, body: { argv } });
      if (r.status !== 200) throw new Error(`mifumo ${argv.join(' ')}: ${JSON.stringify(r.json)}`);
      return r.json.data.result;
    }
    /** A new account with this balance (TZS), its own SMS-per-minute limit when given, and an admin key for it. */
    async function newAccount(balance: number, limits?: { smsPerMinute: number }) {
      const account = await operator('accounts', 'create', '--name', 'Suite', '--balance', String(balance));
      if (limits)
        await operator('accounts', 'set', account.id, '--sms-per-minute', String(limits.smsPerMinute));
      const { key } = await operator('keys', 'create', '--account', account.id, '--permissions', 'admin');
      return { key: key as string, accountId: account.id as string };
    }
    /** Gives the account a number to receive on (with a keyword). */
    const addNumber = (accountId: string, number: string, keyword?: string) =>
      operator(
        'numbers',
        'add',
        '--account',
        accountId,
        '--number',
        number,
        ...(keyword ? ['--keyword', keyword] : []),
      );
    beforeAll(async () => {
      t = await start();
      key = (await newAccount(5000)).key;
    });
    afterAll(() => t.close());
    const as = (k: string) => ({ key: k });

    it('answers every seed endpoint in the envelope: send, status, delivery reports, balance', async () => {
      const sent = await t.call('POST', '/v1/sms/send/', { ...as(key), body: SEND });
      expect(sent.status).toBe(200);
      expect(Object.keys(sent.json).sort()).toEqual(ENVELOPE);
      expect(sent.json).toMatchObject({
        success: true,
        message: 'SMS sent successfully',
        data: {
          recipients: ['+255123456789'],
          status: 'queued',
          sender_id: 'MIFUMO',
          cost: 10,
          currency: 'TZS',
        },
        error_code: null,
        details: null,
      });
      const id = sent.json.data.message_id;
      let status = await t.call('GET', `/v1/sms/status/${id}/`, as(key));
      for (let i = 0; i < 100 && status.json.data.status !== 'delivered'; i++) {
        await t.settle();
        status = await t.call('GET', `/v1/sms/status/${id}/`, as(key));
      }
      expect(status.json.data).toMatchObject({
        message_id: id,
        status: 'delivered',
        recipients: [{ phone: '+255123456789', status: 'delivered' }],
      });
      const reports = await t.call('GET', '/v1/sms/delivery-reports/?status=delivered', as(key));
      expect(reports.json.data.reports.map((r: { message_id: string }) => r.message_id)).toContain(id);
      const balance = await t.call('GET', '/v1/sms/balance/', as(key));
      expect(balance.json.data).toMatchObject({ balance: 4990, currency: 'TZS' });
    });

    it('quotes without sending or charging', async () => {
      const { key: k } = await newAccount(100);
      const quote = await t.call('POST', '/v1/sms/quote/', { ...as(k), body: SEND });
      expect(quote.json.data).toMatchObject({ cost: 10, balance_sufficient: true, segments: 1 });
      expect((await t.call('GET', '/v1/sms/balance/', as(k))).json.data.balance).toBe(100);
    });

    it.each([
      ['no key', { key: null }, 401, 'INVALID_CREDENTIALS'],
      ['a wrong key', { key: 'mk_live_not_a_key' }, 401, 'INVALID_CREDENTIALS'],
      ['an invalid phone', { body: { ...SEND, recipients: ['12'] } }, 400, 'INVALID_PHONE'],
      ['an unapproved sender ID', { body: { ...SEND, sender_id: 'NOPE' } }, 400, 'INVALID_SENDER_ID'],
      ['a message too long', { body: { ...SEND, message: 'x'.repeat(161) } }, 400, 'MESSAGE_TOO_LONG'],
      ['an unknown field', { body: { ...SEND, colour: 'red' } }, 400, 'VALIDATION_ERROR'],
      ['a body that is not JSON', { raw: '{"message":' }, 400, 'INVALID_JSON'],
    ] as const)('refuses a send with %s', async (_what, init, status, code) => {
      const r = await t.call('POST', '/v1/sms/send/', { ...as(key), body: SEND, ...init });
      expect(r.status).toBe(status);
      expect(Object.keys(r.json).sort()).toEqual(ENVELOPE);
      expect(r.json).toMatchObject({ success: false, data: null, error_code: code });
    });

    it('answers 402 when the balance is short, 404 for unknown routes, 405 for wrong methods, 415 for other bodies', async () => {
      const { key: poor } = await newAccount(5);
      const short = await t.call('POST', '/v1/sms/send/', { ...as(poor), body: SEND });
      expect([short.status, short.json.error_code]).toEqual([402, 'INSUFFICIENT_BALANCE']);
      expect((await t.call('GET', '/v1/sms/balance/', as(poor))).json.data.balance).toBe(5);
      const missing = await t.call('GET', '/v1/nothing/here/', as(key));
      expect([missing.status, missing.json.error_code]).toEqual([404, 'NOT_FOUND']);
      const method = await t.call('DELETE', '/v1/sms/balance/', as(key));
      expect([method.status, method.json.error_code]).toEqual([405, 'METHOD_NOT_ALLOWED']);
      const type = await t.call('POST', '/v1/sms/send/', {
        ...as(key),
        raw: 'message=hi',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expect([type.status, type.json.error_code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    });

    it('manages keys: a read key cannot send, a revoked key is refused', async () => {
      const made = await t.call('POST', '/v1/keys/', {
        ...as(key),
        body: { name: 'reports', permissions: ['read'] },
      });
      expect(made.status).toBe(201);
      const reader = made.json.data.key;
      const denied = await t.call('POST', '/v1/sms/send/', { ...as(reader), body: SEND });
      expect([denied.status, denied.json.error_code]).toEqual([403, 'PERMISSION_DENIED']);
      expect((await t.call('GET', '/v1/sms/balance/', as(reader))).status).toBe(200);
      const listed = await t.call('GET', '/v1/keys/', as(key));
      expect(JSON.stringify(listed.json.data)).not.toContain(reader);
      expect((await t.call('DELETE', `/v1/keys/${made.json.data.id}/`, as(key))).status).toBe(200);
      expect((await t.call('GET', '/v1/sms/balance/', as(reader))).json.error_code).toBe(
        'INVALID_CREDENTIALS',
      );
    });

    it('manages contacts and segments', async () => {
      const contact = { name: 'Asha Juma', phone_number: '0754000111', tags: ['vip'] };
      const created = await t.call('POST', '/v1/contacts/create/', { ...as(key), body: contact });
      expect(created.status).toBe(201);
      expect(created.json.data).toMatchObject({ phone_number: '+255754000111' });
      const twice = await t.call('POST', '/v1/contacts/create/', { ...as(key), body: contact });
      expect(twice.json.error_code).toBe('CONFLICT');
      const found = await t.call('GET', '/v1/contacts/search/?q=asha', as(key));
      expect(JSON.stringify(found.json.data)).toContain('+255754000111');
      const segment = await t.call('POST', '/v1/contacts/segments/create/', {
        ...as(key),
        body: { name: 'VIP', criteria: { tags: ['vip'] } },
      });
      const id = segment.json.data.id;
      const one = await t.call('GET', `/v1/contacts/segments/${id}/`, as(key));
      expect(one.json.data).toMatchObject({ id, name: 'VIP' });
      expect(JSON.stringify((await t.call('GET', '/v1/contacts/segments/', as(key))).json.data)).toContain(
        id,
      );
    });

    it('keeps accounts apart: another account’s message, contacts and segment are not found', async () => {
      const mine = await t.call('POST', '/v1/sms/send/', { ...as(key), body: SEND });
      const segment = await t.call('POST', '/v1/contacts/segments/create/', {
        ...as(key),
        body: { name: 'Mine' },
      });
      const { key: other } = await newAccount(50);
      const status = await t.call('GET', `/v1/sms/status/${mine.json.data.message_id}/`, as(other));
      expect([status.status, status.json.error_code]).toEqual([404, 'NOT_FOUND']);
      const seg = await t.call('GET', `/v1/contacts/segments/${segment.json.data.id}/`, as(other));
      expect(seg.status).toBe(404);
      const search = await t.call('GET', '/v1/contacts/search/?q=asha', as(other));
      expect(JSON.stringify(search.json.data)).not.toContain('+255754000111');
      const reports = await t.call('GET', '/v1/sms/delivery-reports/', as(other));
      expect(JSON.stringify(reports.json.data)).not.toContain(mine.json.data.message_id);
    });

    it('opts numbers out and in: listed, left out of sends (not charged), refused when none is left, otp still goes, another account unaffected', async () => {
      const { key: k } = await newAccount(100);
      const added = await t.call('POST', '/v1/opt-outs/', {
        ...as(k),
        body: { phone_number: '0754000601', reason: 'STOP by phone' },
      });
      expect([added.status, added.json.data]).toEqual([
        201,
        expect.objectContaining({ phone_number: '+255754000601', source: 'api', reason: 'STOP by phone' }),
      ]);
      const listed = await t.call('GET', '/v1/opt-outs/', as(k));
      expect(listed.json.data.opt_outs.map((o: { phone_number: string }) => o.phone_number)).toEqual([
        '+255754000601',
      ]);
      const sent = await t.call('POST', '/v1/sms/send/', {
        ...as(k),
        body: { ...SEND, recipients: ['+255754000601', '+255754000602'] },
      });
      expect(sent.json.data).toMatchObject({
        recipients: ['+255754000602'],
        cost: 10,
        suppressed: [{ phone: '+255754000601', reason: 'opted_out' }],
      });
      const refused = await t.call('POST', '/v1/sms/send/', {
        ...as(k),
        body: { ...SEND, recipients: ['+255754000601'] },
      });
      expect([refused.status, refused.json.error_code]).toEqual([400, 'RECIPIENT_OPTED_OUT']);
      const otp = await t.call('POST', '/v1/sms/send/', {
        ...as(k),
        body: { ...SEND, recipients: ['+255754000601'], traffic_class: 'otp' },
      });
      expect(otp.json.data).toMatchObject({ recipients: ['+255754000601'], suppressed: [] });
      expect((await t.call('GET', '/v1/sms/balance/', as(k))).json.data.balance).toBe(80);
      const { key: other } = await newAccount(50);
      expect((await t.call('GET', '/v1/opt-outs/', as(other))).json.data.opt_outs).toEqual([]);
      const theirs = await t.call('POST', '/v1/sms/send/', {
        ...as(other),
        body: { ...SEND, recipients: ['+255754000601'] },
      });
      expect(theirs.json.data.suppressed).toEqual([]);
      const back = await t.call('DELETE', '/v1/opt-outs/%2B255754000601/', {
        ...as(k),
        body: { evidence: 'Signed form 1142' },
      });
      expect(back.status).toBe(200);
      const history = await t.call('GET', '/v1/opt-outs/%2B255754000601/history/', as(k));
      expect(history.json.data.events.map((e: { action: string }) => e.action)).toEqual([
        'opted_out',
        'opted_in',
      ]);
    });

    it('adds the opt-out footer to promotional messages, refuses them without an inbound number, and puts them off in quiet hours', async () => {
      const a = await newAccount(100);
      const promotional = { ...SEND, recipients: ['+255754000701'], traffic_class: 'promotional' };
      const refused = await t.call('POST', '/v1/sms/send/', { ...as(a.key), body: promotional });
      expect([refused.status, refused.json.error_code, refused.json.details]).toEqual([
        400,
        'OPT_OUT_REQUIRED',
        { setting: 'inbound_number' },
      ]);
      expect((await t.call('GET', '/v1/sms/balance/', as(a.key))).json.data.balance).toBe(100);

      await addNumber(a.accountId, '15790');
      const before = Date.now();
      const sent = await t.call('POST', '/v1/sms/send/', { ...as(a.key), body: promotional });
      expect(sent.json.data).toMatchObject({ traffic_class: 'promotional', held_until_resumed: false });
      const status = await t.call('GET', `/v1/sms/status/${sent.json.data.message_id}/`, as(a.key));
      expect(status.json.data.message).toBe(`${SEND.message}\nKusitisha tuma ACHA kwenda 15790`);
      // Quiet hours (SUITE_CONFIG) end at 23:59 UTC: put off until then, unless sent in that very minute.
      const endOfDay = new Date(before).setUTCHours(23, 59, 0, 0);
      if (endOfDay - before > 30_000)
        expect(sent.json.data).toMatchObject({
          status: 'scheduled',
          deferred_until: new Date(endOfDay).toISOString(),
        });
      const transactional = await t.call('POST', '/v1/sms/send/', {
        ...as(a.key),
        body: { ...SEND, recipients: ['+255754000701'] },
      });
      expect(transactional.json.data).toMatchObject({ status: 'queued', deferred_until: null });
    });

    it('lets the operator pause an account’s promotional messages and resume them, over HTTP with the operator key', async () => {
      const a = await newAccount(100);
      await addNumber(a.accountId, '15791');
      const paused = await operator(
        'compliance',
        'pause',
        '--class',
        'promotional',
        '--account',
        a.accountId,
      );
      expect(paused).toMatchObject({ account_id: a.accountId, traffic_class: 'promotional', until: null });
      const promotional = { ...SEND, recipients: ['+255754000702'], traffic_class: 'promotional' };
      const held = await t.call('POST', '/v1/sms/send/', { ...as(a.key), body: promotional });
      expect(held.json.data).toMatchObject({ status: 'scheduled', held_until_resumed: true });
      // Another account's promotional messages are not held by it.
      const b = await newAccount(100);
      await addNumber(b.accountId, '15792');
      const other = await t.call('POST', '/v1/sms/send/', { ...as(b.key), body: promotional });
      expect(other.json.data).toMatchObject({ held_until_resumed: false });
      await operator('compliance', 'resume', '--class', 'promotional', '--account', a.accountId);
      expect((await operator('compliance', 'show', '--account', a.accountId)).pauses).toEqual([]);
      const after = await t.call('POST', '/v1/sms/send/', { ...as(a.key), body: promotional });
      expect(after.json.data).toMatchObject({ held_until_resumed: false });
      // An account's admin key is not the operator's.
      const refused = await t.call('POST', '/operator/commands/', {
        ...as(a.key),
        body: { argv: ['accounts', 'list'] },
      });
      expect([refused.status, refused.json.error_code]).toEqual([401, 'INVALID_CREDENTIALS']);
    });

    it('asks for a sender ID, refused for an operator until the operator approves it there (over HTTP with the operator key)', async () => {
      const a = await newAccount(100);
      const asked = await t.call('POST', '/v1/sender-ids/', {
        ...as(a.key),
        body: { sender_id: 'DUKA', use: 'transactional', note: 'Duka Bora' },
      });
      expect([asked.status, asked.json.data.status]).toEqual([201, 'pending']);
      const again = await t.call('POST', '/v1/sender-ids/', {
        ...as(a.key),
        body: { sender_id: 'DUKA', use: 'transactional' },
      });
      expect([again.status, again.json.details?.reason]).toEqual([409, 'sender_id_exists']);
      const send = (recipients: string[]) =>
        t.call('POST', '/v1/sms/send/', { ...as(a.key), body: { ...SEND, recipients, sender_id: 'DUKA' } });
      const pending = await send(['+255754000711']);
      expect([pending.status, pending.json.error_code, pending.json.details?.operator]).toEqual([
        400,
        'INVALID_SENDER_ID',
        'vodacom',
      ]);
      const approved = await operator(
        'sender-ids',
        'approve',
        'DUKA',
        '--account',
        a.accountId,
        '--operators',
        'vodacom',
      );
      expect(approved).toMatchObject({ sender_id: 'DUKA', status: 'partial' });
      const sent = await send(['+255754000711']);
      expect([sent.status, sent.json.data?.sender_id]).toEqual([200, 'DUKA']);
      const airtel = await send(['+255754000711', '+255684000711']);
      expect([airtel.status, airtel.json.details?.operator, airtel.json.details?.recipients]).toEqual([
        400,
        'airtel',
        [{ phone: '+255684000711', operator: 'airtel', status: 'pending' }],
      ]);
      expect((await t.call('GET', '/v1/sms/balance/', as(a.key))).json.data.balance).toBe(90);
      const listed = (await t.call('GET', '/v1/sender-ids/', as(a.key))).json.data.sender_ids;
      expect(listed[0]).toMatchObject({ sender_id: 'DUKA', status: 'partial', gateway_wide: false });
      expect(listed[0].operators).toContainEqual(
        expect.objectContaining({ operator: 'vodacom', status: 'approved' }),
      );
      expect(listed.at(-1)).toMatchObject({ sender_id: 'MIFUMO', gateway_wide: true, status: 'approved' });
    });

    it('answers a retried send with the same Idempotency-Key once, and refuses the key with another body', async () => {
      const { key: k } = await newAccount(100);
      const headers = { 'Idempotency-Key': 'order-42' };
      const first = await t.call('POST', '/v1/sms/send/', { ...as(k), body: SEND, headers });
      const again = await t.call('POST', '/v1/sms/send/', { ...as(k), body: SEND, headers });
      expect(again.json).toEqual(first.json);
      expect((await t.call('GET', '/v1/sms/balance/', as(k))).json.data.balance).toBe(90);
      const other = await t.call('POST', '/v1/sms/send/', {
        ...as(k),
        body: { ...SEND, message: 'other' },
        headers,
      });
      expect([other.status, other.json.error_code]).toEqual([409, 'CONFLICT']);
    });

    it('refuses sends past the account’s SMS limit with 429 RATE_LIMIT_EXCEEDED and Retry-After', async () => {
      const { key: k } = await newAccount(100, { smsPerMinute: 3 });
      const replies = [];
      for (let i = 0; i < 4; i++)
        replies.push(await t.call('POST', '/v1/sms/send/', { ...as(k), body: SEND }));
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(replies[3]!.json).toMatchObject({ success: false, error_code: 'RATE_LIMIT_EXCEEDED' });
      expect(Number(replies[3]!.headers?.['retry-after'])).toBeGreaterThan(0);
      expect((await t.call('GET', '/v1/sms/balance/', as(k))).json.data.balance).toBe(70);
    });

    it('assigns inbound messages to the account of their number and keyword, apart, linked to what it sent, and answers them', async () => {
      const a = await newAccount(100);
      const b = await newAccount(100);
      await addNumber(a.accountId, '15678', 'duka');
      await addNumber(b.accountId, '15678', 'SHULE');
      const sent = await t.call('POST', '/v1/sms/send/', {
        ...as(a.key),
        body: { ...SEND, recipients: ['+255754000111'] },
      });
      const incoming = (fields: Record<string, string>) =>
        t.call('POST', `/v1/carriers/at/callback/?token=${SUITE_CALLBACK_TOKEN}`, {
          key: null,
          raw: new URLSearchParams(fields).toString(),
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        });
      const stored = await incoming({
        id: 'suite-1',
        from: '+255754000111',
        to: '15678',
        text: 'Duka: sukari?',
      });
      expect(stored.json.data.inbound).toEqual({ stored: 1, duplicate: 0 });
      await incoming({ id: 'suite-2', from: '+255754000222', to: '15678', text: 'shule ada' });
      await incoming({ id: 'suite-3', from: '+255754000333', to: '15678', text: 'nobody' });

      const mine = await t.call('GET', '/v1/sms/inbound/?keyword=DUKA', as(a.key));
      expect(mine.json.data).toEqual({
        messages: [
          {
            id: expect.stringMatching(/^in_/),
            from: '+255754000111',
            to: '15678',
            text: 'Duka: sukari?',
            keyword: 'DUKA',
            received_at: expect.any(String),
            carrier_id: 'at',
            in_reply_to: sent.json.data.message_id,
          },
        ],
        pagination: { page: 1, per_page: 50, total: 1, total_pages: 1 },
      });
      const question = mine.json.data.messages[0];
      const theirs = (await t.call('GET', '/v1/sms/inbound/', as(b.key))).json.data.messages;
      expect(theirs.map((m: { text: string }) => m.text)).toEqual(['shule ada']);
      expect((await t.call('GET', `/v1/sms/inbound/${question.id}/`, as(a.key))).json.data).toEqual(question);
      for (const [k, id] of [
        [b.key, question.id],
        [a.key, theirs[0].id],
      ]) {
        const hidden = await t.call('GET', `/v1/sms/inbound/${id}/`, as(k));
        expect([hidden.status, hidden.json.error_code]).toEqual([404, 'NOT_FOUND']);
      }
      const numbers = (await t.call('GET', '/v1/numbers/', as(b.key))).json.data.numbers;
      expect(numbers).toEqual([
        {
          id: expect.stringMatching(/^num_/),
          number: '15678',
          keyword: 'SHULE',
          carrier_id: null,
          webhook_url: null,
          created_at: expect.any(String),
        },
      ]);

      const reply = await t.call('POST', '/v1/sms/send/', {
        ...as(a.key),
        body: { message: 'Ipo, TZS 3,000', reply_to: question.id },
      });
      expect(reply.json.data).toMatchObject({ recipients: ['+255754000111'], sender_id: '15678' });
      const status = await t.call('GET', `/v1/sms/status/${reply.json.data.message_id}/`, as(a.key));
      expect(status.json.data.reply_to).toBe(question.id);
      const notTheirs = await t.call('POST', '/v1/sms/send/', {
        ...as(b.key),
        body: { message: 'x', reply_to: question.id },
      });
      expect([notTheirs.status, notTheirs.json.error_code]).toEqual([404, 'NOT_FOUND']);
    });

    it('opts a number out on its STOP by SMS (source keyword) and answers it from the number, charged', async () => {
      const c = await newAccount(100);
      await addNumber(c.accountId, '15700');
      const stop = await t.call('POST', `/v1/carriers/at/callback/?token=${SUITE_CALLBACK_TOKEN}`, {
        key: null,
        raw: new URLSearchParams({
          id: 'suite-stop',
          from: '+255754000444',
          to: '15700',
          text: 'Stop!',
        }).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expect(stop.json.data.inbound).toEqual({ stored: 1, duplicate: 0 });
      const [inbound] = (await t.call('GET', '/v1/sms/inbound/', as(c.key))).json.data.messages;
      const optOuts = (await t.call('GET', '/v1/opt-outs/', as(c.key))).json.data.opt_outs;
      expect(optOuts).toEqual([
        {
          phone_number: '+255754000444',
          reason: null,
          source: 'keyword',
          inbound_id: inbound.id,
          created_at: expect.any(String),
        },
      ]);
      const history = await t.call('GET', '/v1/opt-outs/%2B255754000444/history/', as(c.key));
      expect(history.json.data.events).toMatchObject([
        { action: 'opted_out', source: 'keyword', inbound_id: inbound.id },
      ]);
      const listed = (await t.call('GET', '/v1/sms/messages/', as(c.key))).json.data.messages;
      expect(listed).toMatchObject([
        { traffic_class: 'transactional', sender_id: '15700', recipients: 1, cost: 10 },
      ]);
      const status = await t.call('GET', `/v1/sms/status/${listed[0].message_id}/`, as(c.key));
      expect(status.json.data.reply_to).toBe(inbound.id);
      expect((await t.call('GET', '/v1/sms/balance/', as(c.key))).json.data.balance).toBe(90);
    });

    it('reports usage per day and operator, and exports the delivery reports and the ledger as CSV', async () => {
      const { key: k } = await newAccount(100);
      const ids: string[] = [];
      for (const recipients of [['+255754000801', '+255784000802'], ['+255754000803']]) {
        const sent = await t.call('POST', '/v1/sms/send/', { ...as(k), body: { ...SEND, recipients } });
        ids.push(sent.json.data.message_id);
      }
      // Yesterday to tomorrow in UTC: today, whatever the hour.
      const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      const range = `from=${day(-1)}&to=${day(1)}&time_zone=UTC`;
      let usage = await t.call('GET', `/v1/usage/?${range}`, as(k));
      for (let i = 0; i < 100 && usage.json.data.totals.delivered < 3; i++) {
        await t.settle();
        usage = await t.call('GET', `/v1/usage/?${range}`, as(k));
      }
      expect(usage.json.data).toMatchObject({
        time_zone: 'UTC',
        currency: 'TZS',
        totals: {
          messages: 2,
          recipients: 3,
          segments: 3,
          delivered: 3,
          failed: 0,
          spend: 30,
          spend_minor: 3000,
        },
      });
      expect(usage.json.data.days.map((d: { messages: number }) => d.messages).sort()).toEqual([0, 0, 2]);
      expect(usage.json.data.operators).toMatchObject([
        { operator: 'vodacom', messages: 2, recipients: 2, spend: 20 },
        { operator: 'airtel', messages: 1, recipients: 1, spend: 10 },
      ]);

      const reports = await t.call('GET', `/v1/exports/delivery-reports.csv?${range}`, as(k));
      expect(reports.status).toBe(200);
      expect(reports.headers?.['content-type']).toBe('text/csv; charset=utf-8');
      expect(reports.headers?.['content-disposition']).toBe(
        `attachment; filename="delivery-reports_${day(-1)}_${day(1)}.csv"`,
      );
      const rows = csvTable(reports.text);
      expect(rows.map((r) => [r.message_id, r.recipient, r.status]).sort()).toEqual([
        [ids[0], '+255754000801', 'delivered'],
        [ids[0], '+255784000802', 'delivered'],
        [ids[1], '+255754000803', 'delivered'],
      ]);
      expect(rows.every((r) => r.created_at!.endsWith('+00:00'))).toBe(true);
      const ledger = csvTable((await t.call('GET', `/v1/exports/ledger.csv?${range}`, as(k))).text);
      expect(ledger.map((r) => [r.kind, r.amount, r.balance_after]).sort()).toEqual([
        ['initial', '100', '100'],
        ['send', '-10', '70'],
        ['send', '-20', '80'],
      ]);
      const refused = await t.call('GET', `/v1/exports/ledger.csv?from=${day(0)}&to=${day(-1)}`, as(k));
      expect([refused.status, refused.json.error_code]).toEqual([400, 'VALIDATION_ERROR']);
    });

    it('takes exactly as many of 100 concurrent sends as the balance pays for, and leaves it at 0', async () => {
      const { key: k } = await newAccount(300); // 30 sends of 10 TZS
      const replies = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          t.call('POST', '/v1/sms/send/', {
            ...as(k),
            body: { ...SEND, recipients: [`+2557540${String(i).padStart(5, '0')}`] },
          }),
        ),
      );
      expect(replies.filter((r) => r.status === 200)).toHaveLength(30);
      expect(replies.filter((r) => r.status === 402)).toHaveLength(70);
      expect(replies.every((r) => r.status === 200 || r.json.error_code === 'INSUFFICIENT_BALANCE')).toBe(
        true,
      );
      expect((await t.call('GET', '/v1/sms/balance/', as(k))).json.data.balance).toBe(0);
    });
  });
}
