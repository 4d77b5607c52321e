import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/databases';
import { gatewayOn, manualClock } from '../../test/harness';
import { GatewayError } from '../errors';
import { createStore } from '../storage/store';
import { createUsageReports } from './usage-report';

/** Two segments of UCS-2 (the 中): 89 characters, 67 a segment once split. */
const LONG = `${'Habari ya leo rafiki, '.repeat(4)}中`;

describe.each(ENGINES)('usage reports on %s', (_engine, open) => {
  const clock = manualClock(Date.parse('2026-02-28T20:00:00Z'));
  const gateway = gatewayOn(open, {
    clock,
    // Airtel dearer than Vodacom, so each operator's spend tells them apart; …999 numbers are refused (refunded).
    config: { pricing: { currency: 'TZS', perSegment: 10, operators: { vodacom: 10, airtel: 12 } } },
    carrier: { fault: (m) => (m.to.endsWith('999') ? 'permanent' : null) },
  });
  const reports = () => createUsageReports({ store: createStore(gateway().database) });

  /** Sends at `at` (the clock moves there) and lets it be delivered or refused. */
  async function sendAt(key: string, at: string, recipients: string[], message = 'Habari') {
    clock.advance(Date.parse(at) - clock.now());
    const r = await gateway().call('POST', '/v1/sms/send/', { key, body: { message, recipients } });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    await gateway().dispatchAndSettle();
  }

  it('counts messages, recipients, segments, deliveries and spend net of refunds per day and per operator, as the ledger does', async () => {
    const { account, key } = await gateway().newAccount(1000);
    const other = await gateway().newAccount(1000);
    await sendAt(key, '2026-02-28T20:59:59.999Z', ['+255754000010']); // 23:59:59.999 on 28 Feb in Dar es Salaam
    await sendAt(key, '2026-03-01T06:00:00Z', ['+255754000001', '+255784000001']);
    await sendAt(other.key, '2026-03-01T07:00:00Z', ['+255754000011', '+255784000011']);
    await sendAt(key, '2026-03-01T20:59:59.999Z', ['+255754000002', '+255754000999'], LONG);
    await sendAt(key, '2026-03-01T21:00:00Z', ['+255784000002']); // midnight: 2 March
    await sendAt(key, '2026-03-02T10:00:00Z', ['+255754000003', '+255784000999']);
    await sendAt(key, '2026-03-02T21:00:00Z', ['+255754000012']); // 3 March

    const usage = await reports().report(account.id, { from: '2026-03-01', to: '2026-03-02' });
    const figures = (
      messages: number,
      recipients: number,
      segments: number,
      delivered: number,
      failed: number,
      spend: number,
    ) => ({
      messages,
      recipients,
      segments,
      delivered,
      failed,
      spend,
      spend_minor: spend * 100,
    });
    expect(usage).toEqual({
      from: '2026-03-01',
      to: '2026-03-02',
      time_zone: 'Africa/Dar_es_Salaam',
      currency: 'TZS',
      days: [
        // 1 March: one of each operator (10 + 12), then two long ones to Vodacom (2 × 20, one refunded).
        { date: '2026-03-01', ...figures(2, 4, 6, 3, 1, 42) },
        // 2 March: one to Airtel (12), one to each (10 + 12, the Airtel one refunded).
        { date: '2026-03-02', ...figures(2, 3, 3, 2, 1, 22) },
      ],
      operators: [
        { operator: 'vodacom', ...figures(3, 4, 6, 3, 1, 40) },
        { operator: 'airtel', ...figures(3, 3, 3, 2, 1, 24) },
      ],
      totals: figures(4, 7, 9, 5, 2, 64),
    });

    // The ledger's sends and refunds over the same instants come to the same spend.
    const ledger = await gateway()
      .database.db.selectFrom('ledger_entries')
      .select((eb) => eb.fn.sum<number>('amount').as('sum'))
      .where('account_id', '=', account.id)
      .where('kind', 'in', ['send', 'refund'])
      .where('created_at', '>=', '2026-02-28T21:00:00.000Z')
      .where('created_at', '<', '2026-03-02T21:00:00.000Z')
      .executeTakeFirst();
    expect(-Number(ledger?.sum)).toBe(usage.totals.spend_minor);

    // Longer ranges are read a month (31 days) at a time: from 30 January the first month ends at
    // midnight on 2 March, between B and C; a year takes twelve. Their figures add up all the same.
    for (const [from, to] of [
      ['2026-01-30', '2026-03-03'],
      ['2026-01-01', '2026-12-31'],
    ] as const) {
      const long = await reports().report(account.id, { from, to });
      expect(long.totals, from).toEqual(figures(6, 9, 11, 7, 2, 84));
      expect(
        long.days.filter((d) => d.date === '2026-03-01' || d.date === '2026-03-02'),
        from,
      ).toEqual(usage.days);
    }

    // The other account's sends are its own.
    expect(
      (await reports().report(other.account.id, { from: '2026-03-01', to: '2026-03-02' })).totals,
    ).toEqual(figures(1, 2, 2, 2, 0, 22));
  });

  it('counts the calendar days of the zone asked for: local midnights, and days that change offset', async () => {
    const { account, key } = await gateway().newAccount(1000);
    // New York goes from UTC−5 to UTC−4 at 07:00 UTC on 8 March 2026.
    await sendAt(key, '2026-03-08T04:59:59Z', ['+255754000021']); // 23:59:59 on 7 March in New York
    await sendAt(key, '2026-03-08T05:00:00Z', ['+255754000022']); // midnight, 8 March
    await sendAt(key, '2026-03-09T03:59:59Z', ['+255754000023']); // 23:59:59 on 8 March (now UTC−4)
    await sendAt(key, '2026-03-09T04:00:00Z', ['+255754000024']); // midnight, 9 March
    await sendAt(key, '2026-03-09T20:30:00Z', ['+255754000025']); // 23:30 on 9 March in Dar es Salaam, 02:15 on 10 March in Kathmandu

    const messagesByDay = async (time_zone: string | undefined, from: string, to: string) =>
      (await reports().report(account.id, { from, to, time_zone })).days.map((d) => [d.date, d.messages]);
    expect(await messagesByDay('America/New_York', '2026-03-07', '2026-03-09')).toEqual([
      ['2026-03-07', 1],
      ['2026-03-08', 2],
      ['2026-03-09', 2],
    ]);
    expect(await messagesByDay('UTC', '2026-03-07', '2026-03-09')).toEqual([
      ['2026-03-07', 0],
      ['2026-03-08', 2],
      ['2026-03-09', 3],
    ]);
    expect(await messagesByDay(undefined, '2026-03-08', '2026-03-09')).toEqual([
      ['2026-03-08', 2],
      ['2026-03-09', 3],
    ]);
    expect(await messagesByDay('Asia/Kathmandu', '2026-03-08', '2026-03-10')).toEqual([
      ['2026-03-08', 2],
      ['2026-03-09', 2],
      ['2026-03-10', 1],
    ]);
  });

  it('refuses a range it cannot count, naming the field, before reading anything', async () => {
    const { account } = await gateway().newAccount(10);
    const refusal = reports().report(account.id, { from: '2026-01-01', to: '2027-01-02' });
    await expect(refusal).rejects.toBeInstanceOf(GatewayError);
    await expect(refusal).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'to', message: 'must be at most 366 days from from (both included)' }],
    });
    await expect(
      reports().report('acc_nobody', { from: '2026-01-01', to: '2026-01-02' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
