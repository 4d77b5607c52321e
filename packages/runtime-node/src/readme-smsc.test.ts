import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { freePort, NODE_MAIN, poll, startProcess, tempDir } from '../test/process';
import { runCli } from './cli/run';

const CARRIERS = readFileSync(new URL('../../../docs/carriers.md', import.meta.url), 'utf8');
const KEY = 'mk_live_readmesmsc0123456789abcdef0123456789abcd';

it('runs the carriers page’s SMSC simulator and the gateway against it as written: send → delivered over SMPP', async () => {
  const section = CARRIERS.slice(CARRIERS.indexOf('## The SMSC simulator'));
  const [simBlock, runBlock] = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  // The simulator's line without its [optional] flags, on a free port instead of 2775.
  const sim = simBlock!.split('\n')[0]!.replace(/\s*\[.*$/, '');
  expect(sim).toBe('npm run mifumo -- smsc-sim --port 2775');
  const port = String(await freePort());
  let stop = () => {};
  const stopped = new Promise<void>((r) => {
    stop = r;
  });
  const out: string[] = [];
  const argv = sim
    .slice('npm run mifumo -- '.length)
    .split(' ')
    .map((w) => (w === '2775' ? port : w));
  const simulator = runCli(argv, { env: {}, out: (l) => out.push(l), err: (l) => out.push(l) }, stopped);
  for (let i = 0; i < 200 && !out.some((l) => l.includes('listening')); i++)
    await new Promise((r) => setTimeout(r, 10));

  const dir = tempDir();
  const [echo, start] = runBlock!.trim().split('\n');
  expect(start).toBe('MIFUMO_CONFIG=smpp.json npm start');
  await promisify(execFile)('bash', ['-c', echo!.replace('"port":2775', `"port":${port}`)], { cwd: dir });
  const gateway = await startProcess(
    NODE_MAIN,
    {
      MIFUMO_CONFIG: join(dir, 'smpp.json'),
      DATABASE_URL: `file:${join(dir, 'g.db')}`,
      MIFUMO_ADMIN_KEY: KEY,
    },
    await freePort(),
  );
  try {
    const headers = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };
    const sent = await (
      await fetch(`${gateway.base}/v1/sms/send/`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ message: 'Habari kupitia SMPP', recipients: ['+255754000111'] }),
      })
    ).json();
    expect(sent).toMatchObject({ success: true });
    const status = await poll(
      async () =>
        (await (await fetch(`${gateway.base}/v1/sms/status/${sent.data.message_id}/`, { headers })).json())
          .data.status,
      (s) => s === 'delivered',
    );
    expect(status).toBe('delivered');
  } finally {
    process.kill(-gateway.child.pid!, 'SIGTERM');
    await gateway.exited;
    stop();
    expect(await simulator).toBe(0);
  }
}, 60_000);
