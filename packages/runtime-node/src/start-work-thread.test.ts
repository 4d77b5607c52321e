import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type MifumoConfigInput } from '@mifumo/core';
import { expect, it } from 'vitest';
import { startGateway } from './gateway';

const KEY = 'mk_live_workthread0123456789abcdef0123456789abcd';

async function gateway(config: MifumoConfigInput, errors: unknown[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'mifumo-work-'));
  const gw = await startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: `file:${join(dir, 'gw.db')}`,
      adminKey: KEY,
      initialBalance: 1000,
      config: configSchema.parse(config),
      secret: { value: undefined, file: join(dir, 'gw.secret') },
    },
    { logger: { error: (...a: unknown[]) => errors.push(a) }, dispatchIntervalMs: 50 },
  );
  const call = (path: string, body?: unknown) =>
    fetch(`${gw.url}/api/integration${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then((r) => r.json());
  return { gw, call };
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  return read();
}

it('submits and applies receipts while the API’s thread is busy, and the API shows its carriers', async () => {
  // Its receipt comes 400 ms after the submit: while this thread is held.
  const { gw, call } = await gateway({ carriers: [{ id: 'dev', type: 'fake', deliveryDelayMs: 400 }] });
  try {
    const sent = await call('/v1/sms/send/', { message: 'Habari', recipients: ['+255754000111'] });
    // This thread (the API's, and this test's) is held for 1.5 s: the receipt is applied meanwhile.
    const from = Date.now();
    while (Date.now() - from < 1500);
    const to = Date.now();
    const status = await call(`/v1/sms/status/${sent.data.message_id}/`);
    expect(status.data.status).toBe('delivered');
    const deliveredAt = Date.parse(status.data.recipients[0].delivery_time);
    expect(deliveredAt).toBeGreaterThan(from);
    expect(deliveredAt).toBeLessThanOrEqual(to);
    const carriers = await until(
      () => call('/v1/carriers/'),
      (r) => r.data.carriers[0].submits_last_minute === 1,
    );
    expect(carriers.data.carriers).toMatchObject([
      { id: 'dev', type: 'fake', state: 'ready', in_flight: 0, submits_last_minute: 1 },
    ]);
  } finally {
    await gw.close();
  }
});

it('reports what goes wrong in the work thread to the gateway’s logger, and the carrier’s state to the API', async () => {
  const errors: unknown[] = [];
  const { gw, call } = await gateway(
    { carriers: [{ id: 'smsc', type: 'smpp', host: '127.0.0.1', port: 1, systemId: 'x', password: 'y' }] },
    errors,
  );
  try {
    await call('/v1/sms/send/', { message: 'Habari', recipients: ['+255754000111'] });
    const carriers = await until(
      () => call('/v1/carriers/'),
      (r) => r.data.carriers[0].state === 'down',
    );
    expect(carriers.data.carriers[0]).toMatchObject({ id: 'smsc', state: 'down' });
    await until(
      async () => errors,
      (e) => e.length > 0,
    );
    expect(String((errors[0] as unknown[])[0])).toMatch(/^carrier smsc is down \(/);
  } finally {
    await gw.close();
  }
});
