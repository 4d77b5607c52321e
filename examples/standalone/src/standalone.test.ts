import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const HERE = join(import.meta.dirname, '..');
const ADMIN = 'mk_live_standalone0123456789abcdef0123456789abcd';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

it('runs the gateway from its config file: its prices, sender IDs and length limit, send → delivered', async () => {
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'mifumo-standalone-'));
  const child = spawn('npm', ['start'], {
    cwd: HERE,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: `file:${join(data, 'sms.db')}`,
      MIFUMO_ADMIN_KEY: ADMIN,
    },
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const base = `http://127.0.0.1:${port}/api/integration`;
  const call = async (method: string, path: string, body?: unknown) =>
    (
      await fetch(base + path, {
        method,
        headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
    ).json();
  try {
    // Started once it says so, down to its last start-up line (the port can answer a moment earlier).
    for (
      let i = 0;
      !(log.includes(`listening on http://127.0.0.1:${port} `) && log.includes('Dashboard: '));
      i++
    ) {
      if (i > 300 || child.exitCode !== null) throw new Error(`the gateway did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(log).toContain('Admin API key: ');
    const sent = await call('POST', '/v1/sms/send/', {
      message: 'Oda yako iko tayari',
      recipients: ['0754000111', '0784000111'],
      sender_id: 'DUKA',
    });
    expect(sent).toMatchObject({
      success: true,
      data: { sender_id: 'DUKA', cost: 23, recipient_costs: [{ cost: 12 }, { cost: 11 }] },
    });
    const long = await call('POST', '/v1/sms/send/', {
      message: 'x'.repeat(300),
      recipients: ['0754000111'],
    });
    expect(long).toMatchObject({ success: true, data: { segments: 2 } });
    let status = '';
    for (let i = 0; i < 100 && status !== 'delivered'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await call('GET', `/v1/sms/status/${sent.data.message_id}/`)).data.status;
    }
    expect(status).toBe('delivered');
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
  }
}, 60_000);
