import { join } from 'node:path';
import { expect, it } from 'vitest';
import { freePort, NODE_MAIN, poll, startProcess, tempDir } from '../test/process';

const KEY = 'mk_live_jsonlogs0123456789abcdef0123456789abcdef';

it('MIFUMO_LOG_FORMAT=json, MIFUMO_LOG_LEVEL=info: every line one JSON object, a line per request with its id and account, numbers masked', async () => {
  const gw = await startProcess(
    NODE_MAIN,
    {
      DATABASE_URL: `file:${join(tempDir(), 'logs.db')}`,
      MIFUMO_ADMIN_KEY: KEY,
      MIFUMO_LOG_FORMAT: 'json',
      MIFUMO_LOG_LEVEL: 'info',
    },
    await freePort(),
  );
  try {
    const send = await fetch(`${gw.base}/v1/sms/send/`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${KEY}`,
        'Content-Type': 'application/json',
        'X-Request-Id': 'e2e-1',
      },
      body: JSON.stringify({ message: 'Habari', recipients: ['+255754000111'], sender_id: 'MIFUMO' }),
    });
    expect([send.status, send.headers.get('x-request-id')]).toEqual([200, 'e2e-1']);
    const balance = await fetch(`${gw.base}/v1/sms/balance/`, {
      headers: { Authorization: `Bearer ${KEY}` },
    });
    const generated = balance.headers.get('x-request-id');
    const lines = () =>
      gw
        .output()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    await poll(
      async () => lines(),
      (ls) => ls.some((l) => l.request_id === generated),
    );
    const all = lines(); // every line parses
    const { account_id } = all.find((l) => l.request_id === 'e2e-1')!;
    expect(all.find((l) => l.request_id === 'e2e-1')).toMatchObject({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      message: 'POST /api/integration/v1/sms/send/ 200',
      account_id: expect.stringMatching(/^acc_/),
      status: 200,
    });
    expect(all.find((l) => l.request_id === generated)).toMatchObject({ account_id, status: 200 });
    expect(all.some((l) => String(l.message).startsWith('Admin API key: '))).toBe(true);
    expect(gw.output()).not.toContain('754000111');
  } finally {
    process.kill(-gw.child.pid!, 'SIGTERM');
    expect(await gw.exited).toBe(0);
  }
});
