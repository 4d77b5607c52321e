import { afterAll, describe, expect, it } from 'vitest';
import { createTestGateway } from '../../test/harness';

const g = await createTestGateway();
afterAll(() => g.close());
const NO_GATEWAY_IDS = { gatewayWide: [], operators: ['vodacom'] };
const senderIdsOf = async (id: string) =>
  (await g.mifumo.admin.listSenderIds(id, NO_GATEWAY_IDS)).sender_ids.map((s) => s.sender_id);

describe('admin operations, each one guarded statement', () => {
  it('answer with the account as the change left it', async () => {
    const { id } = await g.mifumo.admin.createAccount({ name: 'Duka', balance: 12.5 });
    expect(await g.mifumo.admin.topUp(id, 7.5)).toMatchObject({ id, balance: 20 });
    expect(await g.mifumo.admin.setSmartEncoding(id, true)).toMatchObject({ smart_encoding: true });
    expect(await g.mifumo.admin.setLimits(id, { smsPerMinute: 300 })).toMatchObject({ sms_per_minute: 300 });
    expect(await g.mifumo.admin.setLimits(id, {})).toMatchObject({ balance: 20, sms_per_minute: 300 });
  });

  it('sender IDs: adding one twice keeps one', async () => {
    const { id } = await g.mifumo.admin.createAccount({ name: 'S' });
    expect(await senderIdsOf(id)).toEqual([]);
    await g.mifumo.admin.addSenderId(id, 'DUKA');
    await g.mifumo.admin.addSenderId(id, 'DUKA');
    await g.mifumo.admin.addSenderId(id, 'ASHA');
    expect(await senderIdsOf(id)).toEqual(['ASHA', 'DUKA']);
  });

  it.each([
    ['topUp', () => g.mifumo.admin.topUp('acc_nope', 1)],
    ['setSmartEncoding', () => g.mifumo.admin.setSmartEncoding('acc_nope', null)],
    ['setLimits', () => g.mifumo.admin.setLimits('acc_nope', { smsPerMinute: null })],
    [
      'createKey',
      () => g.mifumo.admin.createKey({ accountId: 'acc_nope', name: 'k', permissions: ['read'] }),
    ],
    ['addSenderId', () => g.mifumo.admin.addSenderId('acc_nope', 'DUKA')],
    ['listSenderIds', () => g.mifumo.admin.listSenderIds('acc_nope', NO_GATEWAY_IDS)],
  ])('%s on an unknown account: NOT_FOUND, nothing written', async (_name, call) => {
    await expect(call()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const orphans = await g.database.db
      .selectFrom('ledger_entries')
      .select('id')
      .where('account_id', '=', 'acc_nope')
      .execute();
    expect(orphans).toEqual([]);
  });
});

describe('money bounds', () => {
  it.each([2 ** 63 / 100, 1e13 + 0.01, Number.MAX_VALUE, 0.001, -5, Number.NaN])(
    'a top-up of %s is refused, and nothing moves',
    async (amount) => {
      const { id } = await g.mifumo.admin.createAccount({ name: 'M', balance: 10 });
      await expect(g.mifumo.admin.topUp(id, amount)).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
      expect((await g.mifumo.admin.getAccount(id)).balance).toBe(10);
    },
  );

  it('a top-up that would pass the maximum balance is refused whole: no ledger row, balance unchanged', async () => {
    const { id } = await g.mifumo.admin.createAccount({ name: 'Rich', balance: 1e13 - 5 });
    await expect(g.mifumo.admin.topUp(id, 10)).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'amount', message: expect.stringContaining('10000000000000') }],
    });
    expect((await g.mifumo.admin.getAccount(id)).balance).toBe(1e13 - 5);
    const ledger = await g.database.db
      .selectFrom('ledger_entries')
      .select('kind')
      .where('account_id', '=', id)
      .execute();
    expect(ledger.map((r: { kind: string }) => r.kind)).toEqual(['initial']);
    expect(await g.mifumo.admin.topUp(id, 5)).toMatchObject({ balance: 1e13 });
    await expect(g.mifumo.admin.createAccount({ name: 'Too rich', balance: 1e13 + 1 })).rejects.toMatchObject(
      {
        code: 'VALIDATION_ERROR',
      },
    );
  });
});
