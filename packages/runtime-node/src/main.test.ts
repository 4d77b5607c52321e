import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { freePort, NODE_MAIN, poll, type Running, startProcess, tempDir, writeConfig } from '../test/process';

async function call(base: string, key: string, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { Authorization: `Bearer ${key}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

const balanceOf = async (base: string, key: string) =>
  (await call(base, key, 'GET', '/v1/sms/balance/')).json.data.balance as number;

/** Stops a gateway process with SIGTERM and checks it shut down cleanly. */
async function stop(life: Running) {
  process.kill(-life.child.pid!, 'SIGTERM');
  expect(await life.exited).toBe(0);
}

it('runs as `npm start` does: prints the admin key once, serves the seed over HTTP, stops on SIGTERM', async () => {
  const dir = tempDir();
  const port = await freePort();
  const gw = await startProcess(['npm', 'start'], { DATABASE_URL: `file:${join(dir, 'm.db')}` }, port);
  try {
    await poll(
      async () => gw.output(),
      (o) => o.includes('Admin API key: '),
    );
    const key = /^Admin API key: (\S+)$/m.exec(gw.output())![1]!;
    expect(gw.output().match(/Admin API key: /g)).toHaveLength(1);
    await poll(
      async () => gw.output(),
      (o) => o.includes('Dashboard: '),
    );
    // What the README's Quick start shows it prints, line for line (ids, keys, paths and port aside).
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const shown = /start, creates a default account[\s\S]*?```\n([\s\S]*?)```/
      .exec(readme)![1]!
      .trim()
      .split('\n');
    const output = gw.output();
    const printed = output.slice(output.indexOf('Mifumo SMS gateway listening')).trim().split('\n');
    expect(printed).toHaveLength(shown.length);
    shown.forEach((line, i) => {
      const pattern = line
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replaceAll('…', '\\S*')
        .replaceAll('127\\.0\\.0\\.1:8001', '127\\.0\\.0\\.1:\\d+')
        .replace('file:\\./data/mifumo\\.db', 'file:\\S+')
        .replace('\\./data/mifumo\\.secret', '\\S+');
      expect(printed[i]).toMatch(new RegExp(`^${pattern}$`));
    });
    const balance = await call(gw.base, key, 'GET', '/v1/sms/balance/');
    expect(balance.json).toMatchObject({ success: true, data: { balance: 5000, currency: 'TZS' } });
    const sent = await call(gw.base, key, 'POST', '/v1/sms/send/', {
      message: 'Hello from Mifumo SMS!',
      recipients: ['+255123456789'],
      sender_id: 'MIFUMO',
    });
    expect(sent.json.data.cost).toBe(10);
    const st = await poll(
      () => call(gw.base, key, 'GET', `/v1/sms/status/${sent.json.data.message_id}/`),
      (r) => r.json.data.status === 'delivered',
    );
    expect(st.json.data.recipients[0]).toMatchObject({ phone: '+255123456789', status: 'delivered' });
  } finally {
    process.kill(-gw.child.pid!, 'SIGTERM');
  }
  await gw.exited; // npm itself dies of the signal; the gateway under it shuts down cleanly
  // The gateway's own line can reach the pipe just after npm has gone.
  const output = await poll(
    async () => gw.output(),
    (o) => o.includes('SIGTERM: shutting down'),
    5_000,
  );
  expect(output).toContain('SIGTERM: shutting down');
}, 120_000); // npm start builds first: a turbo cache hit, or a real build after a change

it('loses nothing when killed with SIGKILL between accepting and submitting: the restart submits it', async () => {
  const dir = tempDir();
  const adminKey = 'mk_live_crash0123456789abcdef0123456789abcdefghi';
  const env = { DATABASE_URL: `file:${join(dir, 'crash.db')}`, MIFUMO_ADMIN_KEY: adminKey };
  const dispatch = { claimTimeoutMs: 1000, retryBaseMs: 100 };
  // First life: the carrier takes a minute to answer a submit, so every message is still unsent when killed.
  const stuck = writeConfig(dir, 'stuck.json', {
    carriers: [{ id: 'dev', type: 'fake', submitDelayMs: 60_000 }],
    dispatch,
  });
  const first = await startProcess(NODE_MAIN, { ...env, MIFUMO_CONFIG: stuck }, await freePort());
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await call(first.base, adminKey, 'POST', '/v1/sms/send/', {
      message: `crash ${i}`,
      recipients: ['+255754000111', '+255754000222'],
    });
    expect(r.status).toBe(200);
    ids.push(r.json.data.message_id);
  }
  // Killed once submits are in flight: claimed, at the carrier, not answered.
  await poll(
    () => call(first.base, adminKey, 'GET', '/v1/carriers/'),
    (r) => r.json.data.carriers[0].in_flight > 0,
  );
  process.kill(-first.child.pid!, 'SIGKILL');
  expect(await first.exited).toBeNull();

  // Second life: a working carrier. Everything accepted before the kill is delivered, once.
  const healthy = writeConfig(dir, 'healthy.json', {
    carriers: [{ id: 'dev', type: 'fake', deliveryDelayMs: 10 }],
    dispatch,
  });
  const second = await startProcess(NODE_MAIN, { ...env, MIFUMO_CONFIG: healthy }, await freePort());
  try {
    for (const id of ids) {
      const st = await poll(
        () => call(second.base, adminKey, 'GET', `/v1/sms/status/${id}/`),
        (r) => r.json.data.status === 'delivered',
      );
      expect(st.json.data.status).toBe('delivered');
      expect(st.json.data.recipients).toHaveLength(2);
    }
    const reports = await call(second.base, adminKey, 'GET', '/v1/sms/delivery-reports/?status=delivered');
    expect(reports.json.data.pagination.total).toBe(10);
    expect(await balanceOf(second.base, adminKey)).toBe(5000 - 100);
  } finally {
    await stop(second);
  }
});

it('killed with SIGKILL mid-dispatch: after the restart every recipient reaches a final status, charged once', async () => {
  const dir = tempDir();
  const adminKey = 'mk_live_midflight0123456789abcdef0123456789abcde';
  const env = { DATABASE_URL: `file:${join(dir, 'midflight.db')}`, MIFUMO_ADMIN_KEY: adminKey };
  const common = { limits: { smsPerMinute: 100_000 }, dispatch: { claimTimeoutMs: 1000, batchSize: 50 } };
  // First life: submits take a little while and receipts a minute, so the kill finds recipients queued,
  // claimed mid-submit and sent with their receipts still pending.
  const slow = writeConfig(dir, 'slow.json', {
    ...common,
    carriers: [{ id: 'dev', type: 'fake', submitDelayMs: 30, deliveryDelayMs: 60_000 }],
  });
  const first = await startProcess(NODE_MAIN, { ...env, MIFUMO_CONFIG: slow }, await freePort());
  const phones = (from: number) =>
    Array.from({ length: 100 }, (_, i) => `+2557541${String(from + i).padStart(5, '0')}`);
  for (let m = 0; m < 3; m++) {
    const r = await call(first.base, adminKey, 'POST', '/v1/sms/send/', {
      message: `m${m}`,
      recipients: phones(m * 100),
    });
    expect(r.status).toBe(200);
  }
  await poll(
    () => call(first.base, adminKey, 'GET', '/v1/sms/delivery-reports/?status=sent&per_page=1'),
    (r) => r.json.data.pagination.total >= 50,
  );
  process.kill(-first.child.pid!, 'SIGKILL');
  expect(await first.exited).toBeNull();

  const quick = writeConfig(dir, 'quick.json', {
    ...common,
    carriers: [{ id: 'dev', type: 'fake', deliveryDelayMs: 10 }],
  });
  const second = await startProcess(NODE_MAIN, { ...env, MIFUMO_CONFIG: quick }, await freePort());
  try {
    const done = await poll(
      () => call(second.base, adminKey, 'GET', '/v1/sms/delivery-reports/?status=delivered&per_page=1'),
      (r) => r.json.data.pagination.total === 300,
      30_000,
    );
    expect(done.json.data.pagination.total).toBe(300);
    expect(await balanceOf(second.base, adminKey)).toBe(5000 - 3000);
  } finally {
    await stop(second);
  }
});
