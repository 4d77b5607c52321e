import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/databases';
import { gatewayOn } from '../../test/harness';

describe.each(ENGINES)('the consent service on %s', (_engine, open) => {
  const gateway = gatewayOn(open);
  // The service the routes use, as the gateway exposes it in process.
  const consent = () => gateway().mifumo.consent;
  const log = (accountId: string, phone: string) =>
    gateway()
      .database.db.selectFrom('consent_events')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('phone', '=', phone)
      .orderBy('created_at')
      .orderBy('id')
      .execute();

  it('opts out once: a second opt-out changes and logs nothing; an opt-in removes it and logs its evidence', async () => {
    const { account } = await gateway().newAccount(10);
    const phone = '+255754000301';
    const first = await consent().optOut(account.id, phone, {
      source: 'carrier',
      evidence: 'at: UserInBlacklist',
    });
    expect(first).toMatchObject({ status: 'opted_out', entry: { phone_number: phone, source: 'carrier' } });
    const again = await consent().optOut(account.id, phone, { source: 'api', reason: 'again' });
    expect(again).toMatchObject({ status: 'already_opted_out', entry: { source: 'carrier', reason: null } });
    expect(await consent().suppressed(account.id, [phone, '+255754000302'])).toEqual(new Set([phone]));

    expect(await consent().optIn(account.id, phone, { source: 'api', evidence: 'signed form' })).toEqual({
      status: 'opted_in',
    });
    expect(await consent().optIn(account.id, phone, { source: 'api', evidence: 'twice' })).toEqual({
      status: 'not_opted_out',
    });
    expect(await consent().suppressed(account.id, [phone])).toEqual(new Set());
    const events = await log(account.id, phone);
    expect(events.map((e) => [e.action, e.source, e.evidence])).toEqual([
      ['opted_out', 'carrier', 'at: UserInBlacklist'],
      ['opted_in', 'api', 'signed form'],
    ]);
  });

  it('keeps the signature the keyword handling calls: source keyword with the inbound id', async () => {
    const { account } = await gateway().newAccount(10);
    const phone = '+255754000303';
    await consent().optOut(account.id, phone, { source: 'keyword', inboundId: 'in_1', reason: 'STOP' });
    const [event] = await log(account.id, phone);
    expect(event).toMatchObject({
      action: 'opted_out',
      source: 'keyword',
      inbound_id: 'in_1',
      reason: 'STOP',
    });
  });

  it('logs each change once when the same number is opted out, then in, by several at once', async () => {
    const { account } = await gateway().newAccount(10);
    const phone = '+255754000304';
    const outs = await Promise.all(
      Array.from({ length: 6 }, () => consent().optOut(account.id, phone, { source: 'api' })),
    );
    expect(outs.filter((o) => o.status === 'opted_out')).toHaveLength(1);
    const ins = await Promise.all(
      Array.from({ length: 6 }, () => consent().optIn(account.id, phone, { source: 'api', evidence: 'e' })),
    );
    expect(ins.filter((o) => o.status === 'opted_in')).toHaveLength(1);
    expect((await log(account.id, phone)).map((e) => e.action)).toEqual(['opted_out', 'opted_in']);
  });

  it('keeps each account’s opt-outs to itself', async () => {
    const a = await gateway().newAccount(10);
    const b = await gateway().newAccount(10);
    const phone = '+255754000305';
    await consent().optOut(a.account.id, phone, { source: 'api' });
    expect(await consent().suppressed(b.account.id, [phone])).toEqual(new Set());
    expect(await consent().optIn(b.account.id, phone, { source: 'api', evidence: 'x' })).toEqual({
      status: 'not_opted_out',
    });
    expect(await consent().suppressed(a.account.id, [phone])).toEqual(new Set([phone]));
    expect(await log(b.account.id, phone)).toEqual([]);
  });
});
