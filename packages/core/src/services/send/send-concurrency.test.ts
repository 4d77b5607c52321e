import { expect, it } from 'vitest';
import { createTestGateway } from '../../../test/harness';

it('200 concurrent sends against a balance that covers 50: exactly 50 succeed, balance exactly 0', async () => {
  const g = await createTestGateway({ balance: 500 });
  try {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        g.call('POST', '/v1/sms/send/', { body: { message: `n${i}`, recipients: ['+255754000111'] } }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 402);
    expect(ok).toHaveLength(50);
    expect(refused).toHaveLength(150);
    for (const r of refused) expect(r.json.error_code).toBe('INSUFFICIENT_BALANCE');
    expect((await g.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(0);
    expect((await g.call('GET', '/v1/sms/delivery-reports/')).json.data.pagination.total).toBe(50);
    const ledger = await g.database.db
      .selectFrom('ledger_entries')
      .select(['amount', 'balance_after'])
      .where('account_id', '=', g.account.id)
      .where('kind', '=', 'send')
      .execute();
    expect(ledger).toHaveLength(50);
    expect(ledger.reduce((s, l) => s + Number(l.amount), 0)).toBe(-50_000);
    expect(Math.min(...ledger.map((l) => Number(l.balance_after)))).toBe(0);
  } finally {
    await g.close();
  }
});
