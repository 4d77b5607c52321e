import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const HERE = join(import.meta.dirname, '..');
const ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' };
const README = readFileSync(join(HERE, '../../README.md'), 'utf8');
const WORKERS = readFileSync(join(HERE, '../../docs/workers.md'), 'utf8');
/** The Workers page's "Try it offline" commands: `cd examples/workers`, `npx wrangler dev …`, a curl. */
const OFFLINE = /\*\*Try it offline\*\*[\s\S]*?```sh\n([\s\S]*?)```/.exec(WORKERS)![1]!.trim().split('\n');
/** The block's `export NAME=value` lines (a trailing comment aside), as the environment they make. */
const EXPORTED = Object.fromEntries(
  OFFLINE.flatMap((line) => {
    const m = /^export (\w+)=(\S+)/.exec(line);
    return m ? [[m[1]!, m[2]!]] : [];
  }),
);
const [DEV_LINE, CURL] = OFFLINE.filter((line) => line.startsWith('npx ') || line.startsWith('curl '));
const DEV_ARGS = DEV_LINE!.split(/\s+/).slice(1);
const ADMIN = DEV_ARGS.find((a) => a.startsWith('MIFUMO_ADMIN_KEY:'))!.slice('MIFUMO_ADMIN_KEY:'.length);
/** The Workers page's "Operate it" commands: the operator key exported, then `npx mifumo --remote …` lines. */
const OPERATE = /\*\*Operate it\*\*[\s\S]*?```sh\n([\s\S]*?)```/.exec(WORKERS)![1]!.trim().split('\n');

it('is the README’s Worker, whole', () => {
  const source = readFileSync(join(HERE, 'src/index.ts'), 'utf8');
  expect(README).toContain(`\`\`\`ts\n${source}\`\`\``);
  expect(OFFLINE[0]).toBe('cd examples/workers');
  expect(OFFLINE).toHaveLength(4);
  expect(EXPORTED).toEqual({ CLOUDFLARE_CF_FETCH_ENABLED: 'false' });
  expect(DEV_ARGS.slice(0, 2)).toEqual(['wrangler', 'dev']);
  expect(CURL).toMatch(/^curl /);
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

it('builds for deployment: wrangler deploy --dry-run bundles the Worker with its D1 binding', async () => {
  const out = mkdtempSync(join(tmpdir(), 'mifumo-wrangler-'));
  const { stdout } = await promisify(execFile)('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', out], {
    cwd: HERE,
    env: ENV,
  });
  expect(stdout).toContain('env.DB (mifumo)');
  expect(stdout).toContain('--dry-run: exiting now.');
  expect(readFileSync(join(out, 'index.js'), 'utf8')).toContain('createWorker');
}, 120_000);

it('answers the Workers page’s and the seed’s curl commands under the Workers page’s wrangler dev, offline, with a local D1: send → delivered', async () => {
  const port = await freePort();
  // The Workers page's command as written, plus a free port, a fresh local D1 and the cron trigger by hand.
  const child = spawn(
    'npx',
    [
      ...DEV_ARGS,
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--test-scheduled',
      '--persist-to',
      mkdtempSync(join(tmpdir(), 'mifumo-d1-')),
    ],
    { cwd: HERE, env: { ...ENV, ...EXPORTED }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const base = `http://127.0.0.1:${port}/api/integration`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return res.json();
  };
  try {
    for (let i = 0; ; i++) {
      try {
        await fetch(`http://127.0.0.1:${port}/`);
        break;
      } catch {
        if (i > 600) throw new Error(`wrangler dev did not start:\n${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const curl = CURL!.replace('127.0.0.1:8787', `127.0.0.1:${port}`);
    const { stdout } = await promisify(execFile)('bash', ['-c', curl]);
    expect(JSON.parse(stdout)).toMatchObject({ success: true, data: { balance: 5000 } });
    const sent = await call('POST', '/v1/sms/send/', {
      message: 'Hello from Mifumo SMS!',
      recipients: ['+255123456789', '+255987654321'],
      sender_id: 'MIFUMO',
      schedule_time: '2024-01-01T10:00:00Z',
    });
    expect(sent).toMatchObject({ success: true, data: { status: 'queued', cost: 20 } });
    let status = '';
    for (let i = 0; i < 100 && status !== 'delivered'; i++) {
      await fetch(`http://127.0.0.1:${port}/__scheduled?cron=*+*+*+*+*`);
      status = (await call('GET', `/v1/sms/status/${sent.data.message_id}/`)).data.status;
    }
    expect(status).toBe('delivered');
    const reports = await call(
      'GET',
      '/v1/sms/delivery-reports/?start_date=2024-01-01&end_date=9999-12-31&status=delivered',
    );
    expect(reports.data.reports).toHaveLength(2);
    const contact = await call('POST', '/v1/contacts/create/', {
      name: 'John Doe',
      phone_number: '+255123456789',
      email: 'john@example.com',
      tags: ['customer', 'vip'],
    });
    expect(contact.success).toBe(true);
    expect((await call('GET', '/v1/contacts/search/?q=john&limit=10')).data.contacts).toHaveLength(1);

    // The Workers page's operator commands as written (its port, and the account the first one made).
    const [exported, ...commands] = OPERATE;
    const operatorKey = /^export MIFUMO_OPERATOR_KEY=(\S+)$/.exec(exported!)![1]!;
    expect(DEV_ARGS).toContain(`MIFUMO_OPERATOR_KEY:${operatorKey}`);
    let accountId = '';
    const outputs: string[] = [];
    for (const line of commands) {
      expect(line).toMatch(/^npx mifumo --remote http:\/\/127\.0\.0\.1:8787 /);
      const command = line
        .replace('127.0.0.1:8787', `127.0.0.1:${port}`)
        .replaceAll('<account_id>', accountId);
      const { stdout } = await promisify(execFile)('bash', ['-c', command], {
        cwd: HERE,
        env: { ...ENV, MIFUMO_OPERATOR_KEY: operatorKey },
      });
      outputs.push(stdout);
      accountId ||= /^Created account (\S+) \(Duka\), balance 10000 TZS$/m.exec(stdout)![1]!;
      if (line.includes('compliance pause')) {
        // While paused, the account's promotional messages are held.
        const key = /^API key: (\S+)$/m.exec(outputs[1]!)![1]!;
        const held = await fetch(`${base}/v1/sms/send/`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            message: 'Punguzo!',
            recipients: ['+255754000111'],
            traffic_class: 'promotional',
          }),
        }).then((r) => r.json());
        expect(held).toMatchObject({ success: true, data: { held_until_resumed: true } });
      }
    }
    expect(outputs[2]).toMatch(/^Added num_\S+\t15678\t/);
    expect(outputs[3]).toMatch(new RegExp(`^Paused: promotional of ${accountId} until resumed`));
    expect(outputs[4]).toBe(`Resumed promotional of ${accountId}\n`);
    // Offline as written, wrangler has nothing to complain of but the missing production secret.
    expect(log).not.toContain('Request.cf');
    expect(log).not.toMatch(/\[ERROR\]|✘/);
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
  }
}, 120_000);
