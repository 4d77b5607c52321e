import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/databases';
import { gatewayOn } from '../../../test/harness';

const OPERATOR_KEY = 'mk_op_senderids0123456789abcdefghijkl';
const VODACOM = '+255754000111';
const AIRTEL = '+255684000111';
const YAS = '+255654000111';
const EVERY_OPERATOR = ['airtel', 'halotel', 'ttcl', 'vodacom', 'yas'];

describe.each(ENGINES)('sender IDs on %s', (_engine, open) => {
  const gateway = gatewayOn(open, { operatorKey: OPERATOR_KEY, config: { senderIds: ['MIFUMO', 'HUDUMA'] } });

  async function account() {
    const t = gateway();
    const { key, account } = await t.newAccount(100);
    const call = (method: string, path: string, body?: unknown, as = key) =>
      t.call(method, path, { key: as, body });
    /** A `mifumo` command on the gateway, as `mifumo --remote` sends it. */
    const operator = (...argv: string[]) =>
      t.call('POST', '/operator/commands/', { key: OPERATOR_KEY, body: { argv } });
    const send = (recipients: string[], senderId = 'DUKA') =>
      call('POST', '/v1/sms/send/', { message: 'Habari', recipients, sender_id: senderId });
    const balance = async () => (await call('GET', '/v1/sms/balance/')).json.data.balance as number;
    const messages = async () =>
      (await call('GET', '/v1/sms/messages/')).json.data.pagination.total as number;
    const logged = async () =>
      (
        await t.database.db
          .selectFrom('activity_log')
          .select(['actor', 'action', 'subject', 'details'])
          .where('account_id', '=', account.id)
          .orderBy('created_at')
          .orderBy('id')
          .execute()
      ).map((r) => ({ ...r, details: r.details === null ? null : JSON.parse(r.details) }));
    /** The operator approves DUKA for these operators (`a,b`). */
    const approveFor = (operators: string) =>
      operator('sender-ids', 'approve', 'DUKA', '--account', account.id, '--operators', operators);
    return { t, key, account, call, operator, approveFor, send, balance, messages, logged };
  }

  it('asks for one with an admin key: 201, pending with every operator, logged, listed before the gateway-wide ones', async () => {
    const { call, logged } = await account();
    const asked = await call('POST', '/v1/sender-ids/', {
      sender_id: 'DUKA',
      use: 'promotional',
      note: '  Duka Bora Ltd  ',
    });
    expect(asked.status).toBe(201);
    expect(asked.json).toMatchObject({ success: true, error_code: null, details: null });
    expect(asked.json.data).toEqual({
      sender_id: 'DUKA',
      use: 'promotional',
      note: 'Duka Bora Ltd',
      requested_at: expect.any(String),
      status: 'pending',
      gateway_wide: false,
      operators: EVERY_OPERATOR.map((operator) => ({
        operator,
        status: 'pending',
        reason: null,
        decided_at: null,
      })),
    });
    expect(await logged()).toEqual([
      {
        actor: expect.stringMatching(/^key:key_/),
        action: 'sender_id.requested',
        subject: 'DUKA',
        details: { use: 'promotional', note: 'Duka Bora Ltd' },
      },
    ]);
    await call('POST', '/v1/sender-ids/', { sender_id: 'ASHA', use: 'transactional', note: null });
    const list = await call('GET', '/v1/sender-ids/');
    expect(list.status).toBe(200);
    expect(list.json.data.sender_ids.map((s: { sender_id: string }) => s.sender_id)).toEqual([
      'ASHA',
      'DUKA',
      'MIFUMO',
      'HUDUMA',
    ]);
    expect(list.json.data.sender_ids[2]).toEqual({
      sender_id: 'MIFUMO',
      use: null,
      note: null,
      requested_at: null,
      status: 'approved',
      gateway_wide: true,
      operators: EVERY_OPERATOR.map((operator) => ({
        operator,
        status: 'approved',
        reason: null,
        decided_at: null,
      })),
    });
    const pages = await Promise.all(
      [1, 2, 3].map(async (page) => (await call('GET', `/v1/sender-ids/?per_page=3&page=${page}`)).json.data),
    );
    expect(pages.map((p) => p.sender_ids.map((s: { sender_id: string }) => s.sender_id))).toEqual([
      ['ASHA', 'DUKA', 'MIFUMO'],
      ['HUDUMA'],
      [],
    ]);
    expect(pages[0].pagination).toEqual({ page: 1, per_page: 3, total: 4, total_pages: 2 });
  });

  it('refuses asking again (409 naming it), a gateway-wide one, unknown fields by name, a bad ID or note, and a key without admin', async () => {
    const { t, call } = await account();
    await call('POST', '/v1/sender-ids/', { sender_id: 'DUKA', use: 'transactional' });
    const again = await call('POST', '/v1/sender-ids/', { sender_id: 'DUKA', use: 'promotional' });
    expect([again.status, again.json.error_code, again.json.details]).toEqual([
      409,
      'CONFLICT',
      { reason: 'sender_id_exists', sender_id: 'DUKA', status: 'pending' },
    ]);
    expect(again.json.message).toContain('"DUKA"');
    const wide = await call('POST', '/v1/sender-ids/', { sender_id: 'HUDUMA', use: 'transactional' });
    expect([wide.status, wide.json.details]).toEqual([
      409,
      { reason: 'sender_id_exists', sender_id: 'HUDUMA', status: 'approved' },
    ]);
    const unknown = await call('POST', '/v1/sender-ids/', {
      sender_id: 'SOKO',
      use: 'promotional',
      colour: 1,
    });
    expect([unknown.status, unknown.json.error_code]).toEqual([400, 'VALIDATION_ERROR']);
    expect(JSON.stringify(unknown.json.details)).toContain('colour');
    for (const body of [
      { sender_id: 'WAY-TOO-LONG-ID', use: 'promotional' },
      { sender_id: 'SOKO' },
      { sender_id: 'SOKO', use: 'otp' },
      { sender_id: 'SOKO', use: 'promotional', note: 'x'.repeat(501) },
    ]) {
      const r = await call('POST', '/v1/sender-ids/', body);
      expect([r.status, r.json.error_code], JSON.stringify(body)).toEqual([400, 'VALIDATION_ERROR']);
    }
    const { key: writer } = await t.newAccount(10, ['read', 'write']);
    const denied = await call('POST', '/v1/sender-ids/', { sender_id: 'SOKO', use: 'promotional' }, writer);
    expect([denied.status, denied.json.error_code]).toEqual([403, 'PERMISSION_DENIED']);
    expect((await call('GET', '/v1/sender-ids/', undefined, writer)).status).toBe(200);
    expect((await call('GET', '/v1/sender-ids/?colour=1')).json.error_code).toBe('VALIDATION_ERROR');
  });

  it('refuses a send to an operator that has not approved it, naming the operator: nothing stored or charged; accepted once it approves', async () => {
    const { account: a, call, approveFor, send, balance, messages, logged } = await account();
    await call('POST', '/v1/sender-ids/', { sender_id: 'DUKA', use: 'transactional' });
    const pending = await send([VODACOM]);
    expect([pending.status, pending.json.error_code]).toEqual([400, 'INVALID_SENDER_ID']);
    expect(pending.json.message).toContain('vodacom (pending)');

    const approved = await approveFor('vodacom');
    expect(approved.status).toBe(200);
    expect(approved.json.data.lines[0]).toBe(`DUKA of ${a.id}: approved for vodacom`);
    expect(approved.json.data.result).toMatchObject({ sender_id: 'DUKA', status: 'partial' });

    const refused = await send([VODACOM, AIRTEL]);
    expect([refused.status, refused.json.error_code]).toEqual([400, 'INVALID_SENDER_ID']);
    expect(refused.json.message).toMatch(/not approved for airtel \(pending\)/);
    expect(refused.json.details).toEqual({
      sender_id: 'DUKA',
      approved: ['MIFUMO', 'HUDUMA'],
      operator: 'airtel',
      recipients: [{ phone: AIRTEL, operator: 'airtel', status: 'pending' }],
    });
    expect([await balance(), await messages()]).toEqual([100, 0]);
    // A quote and a campaign go through the same check.
    const quote = await call('POST', '/v1/sms/quote/', {
      message: 'a',
      recipients: [AIRTEL],
      sender_id: 'DUKA',
    });
    expect(quote.json.error_code).toBe('INVALID_SENDER_ID');
    const campaign = await call('POST', '/v1/campaigns/', {
      name: 'Offer',
      message: 'Habari',
      recipients: [VODACOM, AIRTEL],
      sender_id: 'DUKA',
    });
    expect([campaign.json.error_code, campaign.json.details.operator]).toEqual([
      'INVALID_SENDER_ID',
      'airtel',
    ]);
    expect([await balance(), await messages()]).toEqual([100, 0]);

    const sent = await send([VODACOM]);
    expect([sent.status, sent.json.data.sender_id, sent.json.data.cost]).toEqual([200, 'DUKA', 10]);
    await approveFor('Airtel');
    expect((await send([VODACOM, AIRTEL])).status).toBe(200);
    // Numbers of no known operator need it approved by every operator; the gateway-wide ones go anywhere.
    const unknownOperator = await send(['+255123456789']);
    expect(unknownOperator.json.details).toMatchObject({
      operator: null,
      recipients: [{ phone: '+255123456789', operator: null, status: 'pending' }],
    });
    expect((await send([YAS, '+255123456789'], 'HUDUMA')).status).toBe(200);
    // Entries of the same millisecond have no order: compared as a set.
    const approvals = (await logged()).filter((l) => l.action === 'sender_id.approved');
    expect(approvals).toHaveLength(2);
    expect(approvals).toEqual(
      expect.arrayContaining([
        {
          actor: 'cli',
          action: 'sender_id.approved',
          subject: 'DUKA',
          details: { operators: ['vodacom'], reason: null },
        },
        {
          actor: 'cli',
          action: 'sender_id.approved',
          subject: 'DUKA',
          details: { operators: ['airtel'], reason: null },
        },
      ]),
    );
  });

  it('rejects with a reason (listed per operator, refused like pending), approves for every operator without --operators', async () => {
    const { account: a, call, operator, send, logged } = await account();
    await call('POST', '/v1/sender-ids/', { sender_id: 'DUKA', use: 'transactional' });
    const rejected = await operator(
      'sender-ids',
      'reject',
      'DUKA',
      '--account',
      a.id,
      '--reason',
      'Not registered with TCRA',
      '--operators',
      'yas,halotel',
    );
    expect(rejected.json.data.result.operators).toContainEqual({
      operator: 'yas',
      status: 'rejected',
      reason: 'Not registered with TCRA',
      decided_at: expect.any(String),
    });
    const refused = await send([YAS]);
    expect(refused.json.details.recipients).toEqual([{ phone: YAS, operator: 'yas', status: 'rejected' }]);
    expect(refused.json.message).toContain('yas (rejected)');

    const listed = await operator('sender-ids', 'list', a.id);
    expect(listed.json.data.lines).toEqual([
      'DUKA\tpending\tairtel pending, halotel rejected (Not registered with TCRA), ttcl pending, vodacom pending, yas rejected (Not registered with TCRA)',
      'MIFUMO (gateway-wide)\tapproved',
      'HUDUMA (gateway-wide)\tapproved',
    ]);

    const everywhere = await operator('sender-ids', 'approve', 'DUKA', '--account', a.id);
    expect(everywhere.json.data.lines[0]).toBe(`DUKA of ${a.id}: approved for every operator`);
    expect(everywhere.json.data.result.status).toBe('approved');
    expect((await send([YAS, AIRTEL, '+255123456789'])).status).toBe(200);
    const all = await operator('sender-ids', 'reject', 'DUKA', '--account', a.id, '--reason', 'Withdrawn');
    expect(all.json.data.result.status).toBe('rejected');
    expect((await send([VODACOM])).json.error_code).toBe('INVALID_SENDER_ID');
    const decisions = (await logged()).map((l) => [l.action, l.details]);
    expect(decisions).toHaveLength(4);
    expect(decisions).toEqual(
      expect.arrayContaining([
        ['sender_id.requested', { use: 'transactional', note: null }],
        ['sender_id.rejected', { operators: ['halotel', 'yas'], reason: 'Not registered with TCRA' }],
        ['sender_id.approved', { operators: null, reason: null }],
        ['sender_id.rejected', { operators: null, reason: 'Withdrawn' }],
      ]),
    );
  });

  it('refuses unknown operators naming them, a reject without a reason, and a sender ID the account has not', async () => {
    const { account: a, call, operator, approveFor } = await account();
    await call('POST', '/v1/sender-ids/', { sender_id: 'DUKA', use: 'transactional' });
    const unknown = await approveFor('vodacom,tigo,zantel');
    expect([unknown.status, unknown.json.error_code]).toEqual([400, 'VALIDATION_ERROR']);
    expect(unknown.json.message).toContain('tigo, zantel');
    expect((await operator('sender-ids', 'reject', 'DUKA', '--account', a.id)).json.message).toContain(
      '--reason',
    );
    expect((await operator('sender-ids', 'approve', 'DUKA', '--account', a.id, '--reason', 'x')).status).toBe(
      400,
    );
    const none = await operator('sender-ids', 'approve', 'SOKO', '--account', a.id);
    expect([none.status, none.json.error_code]).toEqual([404, 'NOT_FOUND']);
    expect(none.json.message).toContain('"SOKO"');
    // Nothing was decided for DUKA.
    const listed = (await call('GET', '/v1/sender-ids/')).json.data.sender_ids[0];
    expect(listed.status).toBe('pending');
  });

  it('keeps `sender-ids add`: approved for every operator at once, also one the account asked for', async () => {
    const { t, account: a, call, operator, send } = await account();
    await call('POST', '/v1/sender-ids/', { sender_id: 'DUKA', use: 'promotional' });
    const added = await operator('sender-ids', 'add', a.id, 'SOKO');
    expect(added.json.data.lines).toEqual([
      `${a.id} may send as: DUKA (pending), SOKO, MIFUMO (gateway-wide), HUDUMA (gateway-wide)`,
    ]);
    expect((await send([YAS, '+255123456789'], 'SOKO')).status).toBe(200);
    await operator('sender-ids', 'add', a.id, 'DUKA');
    expect((await send([AIRTEL], 'DUKA')).status).toBe(200);
    const [duka] = (await call('GET', '/v1/sender-ids/')).json.data.sender_ids;
    expect(duka).toMatchObject({ sender_id: 'DUKA', use: 'promotional', status: 'approved' });
    // Another account sees none of them, and may not send as them.
    const other = await t.newAccount(10);
    const theirs = (await t.call('GET', '/v1/sender-ids/', { key: other.key })).json.data.sender_ids;
    expect(theirs.map((s: { sender_id: string }) => s.sender_id)).toEqual(['MIFUMO', 'HUDUMA']);
    const refused = await t.call('POST', '/v1/sms/send/', {
      key: other.key,
      body: { message: 'a', recipients: [VODACOM], sender_id: 'SOKO' },
    });
    expect(refused.json.details).toEqual({
      sender_id: 'SOKO',
      approved: ['MIFUMO', 'HUDUMA'],
      operator: null,
      recipients: null,
    });
  });
});
