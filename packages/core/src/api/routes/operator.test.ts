import { describe, expect, it } from 'vitest';
import { createTestGateway } from '../../../test/harness';

const OPERATOR_KEY = 'mk_op_0123456789abcdefghijklmnopqrstuv';
const PATH = '/operator/commands/';

const run = (
  g: Awaited<ReturnType<typeof createTestGateway>>,
  argv: unknown,
  key: string | null = OPERATOR_KEY,
) => g.call('POST', PATH, { key, body: { argv } });

describe('POST /operator/commands/', () => {
  it('runs the mifumo commands with the operator key: an account, its key, its number, a pause', async () => {
    const g = await createTestGateway({ operatorKey: OPERATOR_KEY });
    try {
      const created = await run(g, ['accounts', 'create', '--name', 'Duka', '--balance', '300']);
      expect(created.status).toBe(200);
      expect(created.json).toMatchObject({ success: true, message: 'Command done', error_code: null });
      const account = created.json.data.result;
      expect(account).toMatchObject({ name: 'Duka', balance: 300, currency: 'TZS' });
      expect(created.json.data.lines).toEqual([`Created account ${account.id} (Duka), balance 300 TZS`]);

      const key = (await run(g, ['keys', 'create', '--account', account.id, '--permissions=read,write'])).json
        .data.result.key;
      const added = await run(g, [
        'numbers',
        'add',
        '--account',
        account.id,
        '--number',
        '15678',
        '--keyword',
        'DUKA',
      ]);
      expect(added.json.data.result).toMatchObject({ number: '15678', keyword: 'DUKA' });
      // The account sees its number; the change is in its audit log.
      const numbers = await g.call('GET', '/v1/numbers/', { key });
      expect(numbers.json.data.numbers).toMatchObject([{ number: '15678', keyword: 'DUKA' }]);
      const logged = await g.database.db
        .selectFrom('activity_log')
        .select(['actor', 'action'])
        .where('account_id', '=', account.id)
        .execute();
      expect(logged).toContainEqual({ actor: 'cli', action: 'number.added' });

      const paused = await run(g, ['compliance', 'pause', '--class', 'promotional', '--account', account.id]);
      expect(paused.json.data.result).toMatchObject({ account_id: account.id, traffic_class: 'promotional' });
      // The gateway that answered sees the pause at once (no cache to wait out).
      expect(await g.mifumo.compliance.promotionalWindow(account.id, Date.now())).toMatchObject({
        held: true,
      });
      const resumed = await run(g, [
        'compliance',
        'resume',
        '--class',
        'promotional',
        '--account',
        account.id,
      ]);
      expect(resumed.json.data.lines).toEqual([`Resumed promotional of ${account.id}`]);
    } finally {
      await g.close();
    }
  });

  it('answers a command line it cannot take as VALIDATION_ERROR on argv, and what a command refuses as itself', async () => {
    const g = await createTestGateway({ operatorKey: OPERATOR_KEY });
    try {
      for (const [argv, message] of [
        [['accounts', 'create'], 'missing --name'],
        [['accounts', 'fly'], 'unknown command: accounts fly'],
        [['keys', 'list', '--acount', 'x'], "Unknown option '--acount'"],
        [['keys', 'list', '--remote', 'http://x'], '--remote and --help are for the mifumo CLI'],
      ] as const) {
        const r = await run(g, argv);
        expect(r.status).toBe(400);
        expect(r.json).toMatchObject({ success: false, error_code: 'VALIDATION_ERROR' });
        expect(r.json.message).toContain(message);
        expect(r.json.details).toEqual([{ field: 'argv', message: r.json.message }]);
      }
      const missing = await run(g, ['accounts', 'topup', 'acc_nobody', '5']);
      expect(missing.status).toBe(404);
      expect(missing.json.error_code).toBe('NOT_FOUND');
      // The body itself: argv of words, nothing else.
      for (const body of [
        { argv: 'accounts list' },
        { argv: ['accounts', 'list'], extra: 1 },
        { argv: [] },
      ]) {
        const r = await g.call('POST', PATH, { key: OPERATOR_KEY, body });
        expect(r.status).toBe(400);
        expect(r.json.error_code).toBe('VALIDATION_ERROR');
      }
    } finally {
      await g.close();
    }
  });

  it('takes only the operator key: not an admin API key, not a wrong key, and throttles wrong ones', async () => {
    const g = await createTestGateway({
      operatorKey: OPERATOR_KEY,
      config: { limits: { authFailuresPerMinute: 3 } },
    });
    try {
      const admin = await run(g, ['accounts', 'list'], g.key);
      expect(admin.status).toBe(401);
      expect(admin.json).toMatchObject({
        error_code: 'INVALID_CREDENTIALS',
        message: 'Invalid operator key',
      });
      expect((await run(g, ['accounts', 'list'], null)).status).toBe(401);
      expect((await run(g, ['accounts', 'list'], `${OPERATOR_KEY}x`)).status).toBe(401);
      const throttled = await run(g, ['accounts', 'list'], 'mk_op_wrongwrongwrongwrong');
      expect(throttled.status).toBe(429);
      // Nothing ran for any of them.
      expect(await g.mifumo.admin.listAccounts()).toHaveLength(1);
    } finally {
      await g.close();
    }
  });

  it('is off without an operator key, and refuses a key of another form at start', async () => {
    const g = await createTestGateway();
    try {
      const r = await run(g, ['accounts', 'list']);
      expect(r.status).toBe(404);
      expect(r.json.message).toContain('MIFUMO_OPERATOR_KEY');
    } finally {
      await g.close();
    }
    await expect(createTestGateway({ operatorKey: 'letmein' })).rejects.toThrow(/operator key must be `mk_`/);
  });
});
