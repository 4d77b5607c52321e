import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '@mifumo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from '../gateway';
import { commandsUrl } from './remote';
import { runCli } from './run';

const OPERATOR_KEY = 'mk_op_remotetest0123456789abcdefghijklmn';

async function gateway(operatorKey?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mifumo-remote-'));
  return startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: `file:${join(dir, 'gw.db')}`,
      adminKey: undefined,
      operatorKey,
      initialBalance: 0,
      config: configSchema.parse({}),
      secret: { value: 'ab'.repeat(32), file: '' },
    },
    { logger: { error: () => {} } },
  );
}

/** `mifumo …` with only the operator key in the environment: no DATABASE_URL to fall back on. */
async function cli(argv: string[], env: NodeJS.ProcessEnv = { MIFUMO_OPERATOR_KEY: OPERATOR_KEY }) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('mifumo --remote', () => {
  let gw: Gateway;
  beforeAll(async () => {
    gw = await gateway(OPERATOR_KEY);
  });
  afterAll(() => gw.close());

  it('runs the commands on the gateway over HTTP: an account, a number, a pause, with --json too', async () => {
    const created = await cli([
      '--remote',
      gw.url,
      'accounts',
      'create',
      '--name',
      'Duka',
      '--balance',
      '500',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const account = JSON.parse(created.out);
    expect(account).toMatchObject({ name: 'Duka', balance: 500, currency: 'TZS' });
    // The gateway's own database has it: the command ran there.
    expect((await gw.mifumo.admin.listAccounts()).map((a) => a.id)).toContain(account.id);

    const added = await cli([
      'numbers',
      'add',
      '--account',
      account.id,
      '--number',
      '15678',
      '--remote',
      gw.url,
    ]);
    expect(added).toMatchObject({ code: 0, err: '' });
    expect(added.out).toMatch(/^Added num_\S+\t15678\t\(no keyword\)\t/);
    const paused = await cli([
      '--remote',
      `${gw.url}/api/integration/`,
      'compliance',
      'pause',
      '--class',
      'promotional',
    ]);
    expect(paused.out).toMatch(/^Paused: promotional gateway-wide until resumed \(by cli at /);
    const shown = await cli(['--remote', gw.url, 'compliance', 'show', '--account', account.id]);
    expect(shown.out).toContain('Paused: promotional gateway-wide until resumed');
    expect((await cli(['--remote', gw.url, 'compliance', 'resume', '--class', 'promotional'])).out).toBe(
      'Resumed promotional gateway-wide',
    );
  });

  it('exits 2 with the usage for a command line the gateway refuses, 1 for what a command refuses', async () => {
    const usage = await cli(['--remote', gw.url, 'accounts', 'create']);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/^missing --name\nUsage: mifumo/);
    const missing = await cli(['--remote', gw.url, 'accounts', 'topup', 'acc_nobody', '5', '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out)).toMatchObject({ success: false, error_code: 'NOT_FOUND' });
    expect(missing.err).toMatch(/^error: /);
  });

  it('needs the operator key, the right one, and a gateway that takes it', async () => {
    const none = await cli(['--remote', gw.url, 'accounts', 'list'], {});
    expect(none.code).toBe(2);
    expect(none.err).toContain('--remote needs the gateway’s operator key in MIFUMO_OPERATOR_KEY');
    const wrong = await cli(['--remote', gw.url, 'accounts', 'list'], {
      MIFUMO_OPERATOR_KEY: 'mk_op_notthekey0123456789abcdef',
    });
    expect(wrong).toMatchObject({
      code: 1,
      err: 'error: Invalid operator key {"hint":"Send the operator key (MIFUMO_OPERATOR_KEY) as Authorization: Bearer <key>; API keys, admin ones too, are not operator keys"}',
    });
    const off = await gateway();
    try {
      const refused = await cli(['--remote', off.url, 'accounts', 'list']);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('Operator commands are off on this gateway');
    } finally {
      await off.close();
    }
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const unreachable = await cli(['--remote', `http://127.0.0.1:${port}`, 'accounts', 'list']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toContain(
      `error: cannot reach http://127.0.0.1:${port}/api/integration/operator/commands/`,
    );
  });
});

it('finds the operator endpoint under the integration API’s URL, a bare origin meaning its default mount', () => {
  expect(commandsUrl('https://mifumo.example.workers.dev')).toBe(
    'https://mifumo.example.workers.dev/api/integration/operator/commands/',
  );
  expect(commandsUrl('http://127.0.0.1:8001/sms/api//')).toBe(
    'http://127.0.0.1:8001/sms/api/operator/commands/',
  );
  expect(() => commandsUrl('mifumo.example')).toThrow('--remote takes the gateway');
  expect(() => commandsUrl('ftp://mifumo.example')).toThrow('--remote takes an http:// or https:// URL');
});
