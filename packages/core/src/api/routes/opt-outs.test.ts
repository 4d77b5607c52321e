import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/databases';
import { gatewayOn } from '../../../test/harness';

const csv = (text: string) => ({ body: text, headers: { 'Content-Type': 'text/csv' } });

describe.each(ENGINES)('opt-outs on %s', (_engine, open) => {
  const gateway = gatewayOn(open);
  let numbers = 0;

  async function account(balance = 10) {
    const t = gateway();
    const { key, account } = await t.newAccount(balance);
    // Its promotional messages need an opt-out route; no quiet hours, so they go whatever the time.
    await t.mifumo.admin.addNumber(
      { accountId: account.id, number: String(15000 + ++numbers) },
      { defaultRegion: 'TZ', carrierIds: ['dev'], allowPrivateNetworks: true },
    );
    await t.mifumo.compliance.setSettings(account.id, { quietHours: 'none' });
    const call = (method: string, path: string, body?: unknown) => t.call(method, path, { key, body });
    const balanceNow = async () => (await call('GET', '/v1/sms/balance/')).json.data.balance as number;
    return { t, key, account, call, balanceNow };
  }

  it('adds (normalised, source api, the caller’s key), lists newest first, filters by number, answers a repeat 200', async () => {
    const { call } = await account();
    const added = await call('POST', '/v1/opt-outs/', { phone_number: '0754000401', reason: ' Asked ' });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({
      success: true,
      message: 'Number opted out',
      data: { phone_number: '+255754000401', reason: 'Asked', source: 'api' },
    });
    await call('POST', '/v1/opt-outs/', { phone_number: '+255754000402' });
    const repeat = await call('POST', '/v1/opt-outs/', { phone_number: '255754000401', reason: 'other' });
    expect([repeat.status, repeat.json.message, repeat.json.data.reason]).toEqual([
      200,
      'Number was already opted out',
      'Asked',
    ]);
    const list = await call('GET', '/v1/opt-outs/?per_page=1');
    expect(list.json.data.pagination).toEqual({ page: 1, per_page: 1, total: 2, total_pages: 2 });
    expect(list.json.data.opt_outs).toHaveLength(1);
    const one = await call('GET', '/v1/opt-outs/?phone_number=0754000402');
    expect(one.json.data.opt_outs.map((o: { phone_number: string }) => o.phone_number)).toEqual([
      '+255754000402',
    ]);
    const history = await call('GET', '/v1/opt-outs/%2B255754000401/history/');
    expect(history.json.data.events).toEqual([
      expect.objectContaining({ action: 'opted_out', source: 'api', reason: 'Asked', evidence: null }),
    ]);
    expect(history.json.data.events[0].api_key_id).toMatch(/^key_/);
  });

  it('refuses unknown fields, bad numbers and an opt-in without evidence', async () => {
    const { call } = await account();
    expect((await call('POST', '/v1/opt-outs/', { phone_number: '0754000403', x: 1 })).json.error_code).toBe(
      'VALIDATION_ERROR',
    );
    expect((await call('POST', '/v1/opt-outs/', { phone_number: 'abc' })).json.error_code).toBe(
      'INVALID_PHONE',
    );
    expect((await call('GET', '/v1/opt-outs/?phone=1')).json.error_code).toBe('VALIDATION_ERROR');
    await call('POST', '/v1/opt-outs/', { phone_number: '0754000403' });
    expect((await call('DELETE', '/v1/opt-outs/0754000403/')).json.error_code).toBe('UNSUPPORTED_MEDIA_TYPE');
    for (const body of [{}, { evidence: '  ' }, { evidence: 'x'.repeat(1001) }, { evidence: 'e', x: 1 }]) {
      const r = await call('DELETE', '/v1/opt-outs/0754000403/', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('opts back in with evidence (logged with the key), then 404 once it is not opted out', async () => {
    const { call } = await account();
    await call('POST', '/v1/opt-outs/', { phone_number: '0754000404' });
    const back = await call('DELETE', '/v1/opt-outs/%2B255754000404/', { evidence: 'Signed form 1142' });
    expect(back.status).toBe(200);
    expect(back.json.data).toMatchObject({ phone_number: '+255754000404', source: 'api' });
    const again = await call('DELETE', '/v1/opt-outs/0754000404/', { evidence: 'Signed form 1142' });
    expect([again.status, again.json.error_code]).toEqual([404, 'NOT_FOUND']);
    const history = (await call('GET', '/v1/opt-outs/0754000404/history/')).json.data.events;
    expect(history.map((e: { action: string; evidence: string | null }) => [e.action, e.evidence])).toEqual([
      ['opted_out', null],
      ['opted_in', 'Signed form 1142'],
    ]);
    expect(history[1].api_key_id).toBe(history[0].api_key_id);
    expect((await call('GET', '/v1/opt-outs/0754000499/history/')).status).toBe(404);
  });

  it('imports CSV and JSON: new ones opted out in one step, the known skipped, bad rows reported', async () => {
    const { t, key, call } = await account();
    await call('POST', '/v1/opt-outs/', { phone_number: '0754000410' });
    const wrongType = await t.call('POST', '/v1/opt-outs/import/', {
      key,
      body: 'x',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(wrongType.json.error_code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const badHeader = await t.call('POST', '/v1/opt-outs/import/', {
      key,
      ...csv('phone,reason\n0754000411,x\n'),
    });
    expect(badHeader.json.details).toEqual([
      { field: 'phone', message: 'unknown column' },
      { field: 'phone_number', message: 'missing column' },
    ]);
    const fromCsv = await t.call('POST', '/v1/opt-outs/import/', {
      key,
      ...csv(
        'phone_number,reason\n0754000410,known\n0754000411,\nnope,x\n0754000411,again\n0754000412,STOP\n',
      ),
    });
    expect(fromCsv.json.data).toEqual({
      received: 5,
      created: 2,
      skipped: 1,
      failed: 2,
      errors: [
        { row: 4, field: 'phone_number', reason: expect.any(String) },
        { row: 5, field: 'phone_number', reason: '+255754000411 repeats row 3' },
      ],
    });
    const fromJson = await call('POST', '/v1/opt-outs/import/', [
      { phone_number: '0754000413', reason: 'letter' },
      { phone_number: '0754000414', extra: 1 },
      'x',
    ]);
    expect(fromJson.json.data).toMatchObject({ received: 3, created: 1, skipped: 0, failed: 2 });
    expect(fromJson.json.data.errors.map((e: { row: number }) => e.row)).toEqual([2, 3]);
    const listed = (await call('GET', '/v1/opt-outs/?per_page=100')).json.data.opt_outs;
    expect(listed.map((o: { phone_number: string }) => o.phone_number).sort()).toEqual([
      '+255754000410',
      '+255754000411',
      '+255754000412',
      '+255754000413',
    ]);
    const history = (await call('GET', '/v1/opt-outs/0754000412/history/')).json.data.events;
    expect(history).toEqual([
      expect.objectContaining({ action: 'opted_out', source: 'import', reason: 'STOP' }),
    ]);
  });

  it('keeps every account’s opt-outs and history to itself', async () => {
    const a = await account();
    const b = await account();
    await a.call('POST', '/v1/opt-outs/', { phone_number: '0754000420' });
    expect((await b.call('GET', '/v1/opt-outs/')).json.data.opt_outs).toEqual([]);
    expect((await b.call('GET', '/v1/opt-outs/?phone_number=0754000420')).json.data.opt_outs).toEqual([]);
    expect((await b.call('GET', '/v1/opt-outs/0754000420/history/')).status).toBe(404);
    expect((await b.call('DELETE', '/v1/opt-outs/0754000420/', { evidence: 'x' })).status).toBe(404);
    // b's send goes; a's is refused.
    expect(
      (await b.call('POST', '/v1/sms/send/', { message: 'hi', recipients: ['0754000420'] })).status,
    ).toBe(200);
    expect(
      (await a.call('POST', '/v1/sms/send/', { message: 'hi', recipients: ['0754000420'] })).json.error_code,
    ).toBe('RECIPIENT_OPTED_OUT');
    expect((await a.call('GET', '/v1/opt-outs/')).json.data.opt_outs).toHaveLength(1);
  });

  it('a send leaves opted-out recipients out before pricing (not stored, not charged); otp goes to them', async () => {
    const { call, t, balanceNow } = await account(10);
    await call('POST', '/v1/opt-outs/', { phone_number: '0754000430' });
    const quote = await call('POST', '/v1/sms/quote/', {
      message: 'Ofa!',
      recipients: ['0754000430', '0754000431'],
      traffic_class: 'promotional',
    });
    expect(quote.json.data).toMatchObject({
      recipients: ['+255754000431'],
      cost: 10,
      traffic_class: 'promotional',
      suppressed: [{ phone: '+255754000430', reason: 'opted_out' }],
    });
    const sent = await call('POST', '/v1/sms/send/', {
      message: 'Ofa!',
      recipients: ['0754000430', '0754000431'],
      traffic_class: 'promotional',
    });
    expect(sent.json.data).toMatchObject({
      recipients: ['+255754000431'],
      cost: 10,
      traffic_class: 'promotional',
      suppressed: [{ phone: '+255754000430', reason: 'opted_out' }],
    });
    expect(await balanceNow()).toBe(0);
    const rows = await t.database.db
      .selectFrom('recipients')
      .select('phone')
      .where('message_id', '=', sent.json.data.message_id)
      .execute();
    expect(rows.map((r) => r.phone)).toEqual(['+255754000431']);
    const status = await call('GET', `/v1/sms/status/${sent.json.data.message_id}/`);
    expect(status.json.data.traffic_class).toBe('promotional');
    const listed = await call('GET', '/v1/sms/messages/');
    expect(listed.json.data.messages[0].traffic_class).toBe('promotional');

    // Nothing left: a transactional send (the default) to the opted-out number is refused, nothing charged.
    const { call: call2, balanceNow: balance2, t: t2, account: acc2 } = await account(10);
    await call2('POST', '/v1/opt-outs/', { phone_number: '0754000432' });
    const refused = await call2('POST', '/v1/sms/send/', { message: 'Hi', recipients: ['0754000432'] });
    expect([refused.status, refused.json.error_code, refused.json.details]).toEqual([
      400,
      'RECIPIENT_OPTED_OUT',
      { suppressed: [{ phone: '+255754000432', reason: 'opted_out' }] },
    ]);
    const stored = await t2.database.db
      .selectFrom('messages')
      .select('id')
      .where('account_id', '=', acc2.id)
      .execute();
    expect(stored).toEqual([]);
    expect(await balance2()).toBe(10);
    // An otp goes, and is charged.
    const otp = await call2('POST', '/v1/sms/send/', {
      message: 'Code 123456',
      recipients: ['0754000432'],
      traffic_class: 'otp',
    });
    expect(otp.json.data).toMatchObject({
      recipients: ['+255754000432'],
      suppressed: [],
      traffic_class: 'otp',
    });
    expect(await balance2()).toBe(0);
  });

  it('a suppressed recipient does not count against sms_per_minute', async () => {
    const { call, t, account: acc } = await account(100);
    await t.mifumo.admin.setLimits(acc.id, { smsPerMinute: 1 });
    await call('POST', '/v1/opt-outs/', { phone_number: '0754000440' });
    const sent = await call('POST', '/v1/sms/send/', {
      message: 'Hi',
      recipients: ['0754000440', '0754000441'],
    });
    expect(sent.json.data.recipients).toEqual(['+255754000441']);
  });

  it('a number opted out after its send was accepted is not submitted: failed OPTED_OUT and refunded; otp still goes', async () => {
    const { call, t, balanceNow } = await account(30);
    const promo = await call('POST', '/v1/sms/send/', {
      message: 'Ofa',
      recipients: ['0754000460', '0754000461'],
      traffic_class: 'promotional',
    });
    const otp = await call('POST', '/v1/sms/send/', {
      message: 'Code 4321',
      recipients: ['0754000460'],
      traffic_class: 'otp',
    });
    expect(await balanceNow()).toBe(0);
    await call('POST', '/v1/opt-outs/', { phone_number: '0754000460' });
    await t.dispatchAndSettle();
    const status = (await call('GET', `/v1/sms/status/${promo.json.data.message_id}/`)).json.data;
    expect(
      status.recipients.map((r: { phone: string; status: string; error: unknown }) => [
        r.phone,
        r.status,
        r.error,
      ]),
    ).toEqual([
      ['+255754000460', 'failed', { code: 'OPTED_OUT', message: expect.any(String) }],
      ['+255754000461', 'delivered', null],
    ]);
    expect((await call('GET', `/v1/sms/status/${otp.json.data.message_id}/`)).json.data.status).toBe(
      'delivered',
    );
    expect(await balanceNow()).toBe(10);
    expect(t.carrier.sent.map((m) => m.to).filter((to) => to === '+255754000460')).toHaveLength(1);
  });

  it('a campaign leaves opted-out members out and counts them; with nobody left it is refused', async () => {
    const { call, balanceNow } = await account(10);
    await call('POST', '/v1/opt-outs/', { phone_number: '0754000450' });
    const body = {
      name: 'Ofa',
      message: 'Ofa {name|mteja}',
      recipients: ['0754000450', '0754000451'],
      traffic_class: 'promotional',
    };
    const quote = await call('POST', '/v1/campaigns/quote/', body);
    expect(quote.json.data).toMatchObject({
      recipients: 1,
      cost: 10,
      traffic_class: 'promotional',
      excluded: { inactive: 0, duplicates: 0, opted_out: 1 },
    });
    const made = await call('POST', '/v1/campaigns/', body);
    expect(made.json.data).toMatchObject({
      recipients: 1,
      cost: 10,
      traffic_class: 'promotional',
      excluded: { opted_out: 1 },
    });
    expect(await balanceNow()).toBe(0);
    const again = await call('GET', `/v1/campaigns/${made.json.data.id}/`);
    expect(again.json.data).toMatchObject({ traffic_class: 'promotional', excluded: { opted_out: 1 } });

    const { call: call2, balanceNow: balance2 } = await account(10);
    await call2('POST', '/v1/opt-outs/', { phone_number: '0754000452' });
    const refused = await call2('POST', '/v1/campaigns/', { ...body, recipients: ['0754000452'] });
    expect([refused.status, refused.json.error_code, refused.json.details]).toEqual([
      400,
      'RECIPIENT_OPTED_OUT',
      { suppressed: [{ phone: '+255754000452', reason: 'opted_out' }] },
    ]);
    expect((await call2('GET', '/v1/campaigns/')).json.data.campaigns).toEqual([]);
    expect(await balance2()).toBe(10);
    const otp = await call2('POST', '/v1/campaigns/', {
      ...body,
      recipients: ['0754000452'],
      traffic_class: 'otp',
    });
    expect(otp.json.data).toMatchObject({ recipients: 1, traffic_class: 'otp', excluded: { opted_out: 0 } });
  });
});
