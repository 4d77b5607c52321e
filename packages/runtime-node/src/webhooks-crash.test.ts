import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { freePort, NODE_MAIN, poll, startProcess, tempDir, writeConfig } from '../test/process';

it('killed with SIGKILL mid-delivery: after the restart every webhook event arrives, in order, none lost', async () => {
  // The receiver holds every request until `answering`: the first life dies with attempts in flight.
  let answering = false;
  const got: {
    eventId: string;
    status: string;
    messageId: string;
    auth: string | undefined;
    answered: boolean;
  }[] = [];
  const receiver = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const json = JSON.parse(body);
    const hit = {
      eventId: String(req.headers['x-mifumo-event-id']),
      status: json.status,
      messageId: json.message_id,
      auth: req.headers.authorization,
      answered: answering,
    };
    got.push(hit);
    if (answering) res.end('ok');
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const dir = tempDir();
  const adminKey = 'mk_live_webhookcrash01234567890123456789abcdefgh';
  const env = {
    DATABASE_URL: `file:${join(dir, 'wh.db')}`,
    MIFUMO_ADMIN_KEY: adminKey,
    MIFUMO_CONFIG: writeConfig(dir, 'c.json', {
      carriers: [{ id: 'dev', type: 'fake', deliveryDelayMs: 10 }],
      webhooks: { allowPrivateNetworks: true, timeoutMs: 1000, claimTimeoutMs: 1500, retryBaseMs: 200 },
    }),
  };
  const headers = { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' };
  const first = await startProcess(NODE_MAIN, env, await freePort());
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const r = await fetch(`${first.base}/v1/sms/send/`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        message: `m${i}`,
        recipients: [`+2557540000${String(i).padStart(2, '0')}`],
        webhook_url: hook,
      }),
    }).then((x) => x.json());
    ids.push(r.data.message_id);
  }
  await poll(
    async () => got.length,
    (n) => n >= 10,
  );
  process.kill(-first.child.pid!, 'SIGKILL');
  expect(await first.exited).toBeNull();
  expect(got.every((g) => !g.answered)).toBe(true);

  answering = true;
  const second = await startProcess(NODE_MAIN, env, await freePort());
  try {
    const done = await poll(
      () =>
        fetch(`${second.base}/v1/webhooks/deliveries/?status=succeeded&per_page=1`, { headers }).then((x) =>
          x.json(),
        ),
      (r) => r.data.pagination.total === 40,
      30_000,
    );
    expect(done.data.pagination.total).toBe(40);
    const answered = got.filter((g) => g.answered);
    expect(new Set(answered.map((g) => g.eventId)).size).toBe(40); // each event; a repeat keeps its id
    for (const id of ids) {
      const order = answered.filter((g) => g.messageId === id).map((g) => g.status);
      expect(order[0]).toBe('sent');
      expect(order.at(-1)).toBe('delivered');
    }
    // The sealed key opened after the restart: the Bearer header is the key that sent the messages.
    expect(new Set(got.map((g) => g.auth))).toEqual(new Set([`Bearer ${adminKey}`]));
  } finally {
    process.kill(-second.child.pid!, 'SIGTERM');
    await second.exited;
    receiver.closeAllConnections();
    receiver.close();
  }
}, 90_000);
