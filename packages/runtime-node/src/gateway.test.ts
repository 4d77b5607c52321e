import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '@mifumo/core';
import { expect, it } from 'vitest';
import { startGateway } from './gateway';

it('serves over HTTP, bootstraps once with the given key, dispatches on its own and closes cleanly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mifumo-gw-'));
  const settings = {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: `file:${join(dir, 'gw.db')}`,
    adminKey: 'mk_test_known_admin_key_0123456789',
    initialBalance: 70,
    config: configSchema.parse({ carriers: [{ id: 'dev', type: 'fake', deliveryDelayMs: 10 }] }),
    secret: { value: undefined, file: join(dir, 'gw.secret') },
  };
  const gw = await startGateway(settings, { logger: { error: () => {} } });
  expect(gw.bootstrapped?.key).toBe(settings.adminKey);
  // The server secret is made on first start, readable by its owner only, and kept.
  expect(gw.secretCreated).toBe(settings.secret.file);
  expect(statSync(settings.secret.file).mode & 0o777).toBe(0o600);
  const secret = readFileSync(settings.secret.file, 'utf8');
  expect(Buffer.from(secret.trim(), 'base64')).toHaveLength(32);
  const auth = { Authorization: `Bearer ${settings.adminKey}`, 'Content-Type': 'application/json' };
  const api = `${gw.url}/api/integration`;
  const sent = await fetch(`${api}/v1/sms/send/`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ message: 'Hello from Mifumo SMS!', recipients: ['+255123456789'] }),
  }).then((r) => r.json());
  let status = '';
  for (let i = 0; i < 250 && status !== 'delivered'; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const st = await fetch(`${api}/v1/sms/status/${sent.data.message_id}/`, { headers: auth }).then((r) =>
      r.json(),
    );
    status = st.data.status;
  }
  expect(status).toBe('delivered');
  await gw.close();

  const again = await startGateway(settings, { logger: { error: () => {} } });
  expect(again.bootstrapped).toBeNull();
  expect(again.secretCreated).toBeNull();
  expect(readFileSync(settings.secret.file, 'utf8')).toBe(secret);
  const balance = await fetch(`${again.url}/api/integration/v1/sms/balance`, { headers: auth }).then((r) =>
    r.json(),
  );
  expect(balance.data.balance).toBe(60);
  await again.close();
});
