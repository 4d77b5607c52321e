import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '@mifumo/core';
import pg from 'pg';
import { expect, it } from 'vitest';
import { startGateway } from './gateway';
import { freshPostgres } from './testing/postgres';

it('serves over HTTP, bootstraps once with the given key, dispatches on its own and closes cleanly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mifumo-gw-'));
  const settings = {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: `file:${join(dir, 'gw.db')}`,
    adminKey: 'mk_live_knownadminkey01234567890123456789abcdefg',
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

it('lets a request whose client hung up finish before closing the database', async () => {
  const fresh = await freshPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'mifumo-gw-'));
  const settings = {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: fresh.url,
    adminKey: 'mk_live_knownadminkey01234567890123456789abcdefg',
    initialBalance: 70,
    config: configSchema.parse({ carriers: [{ id: 'dev', type: 'fake' }] }),
    secret: { value: undefined, file: join(dir, 'gw.secret') },
  };
  const locker = new pg.Client({ connectionString: fresh.url });
  try {
    const errors: unknown[] = [];
    const gw = await startGateway(settings, { logger: { error: (...a: unknown[]) => errors.push(a) } });
    // Another session holds the contacts table, so an import waits on it part-way (after its first read).
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table contacts in access exclusive mode');
    const abort = new AbortController();
    const request = fetch(`${gw.url}/api/integration/v1/contacts/import/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${settings.adminKey}`, 'Content-Type': 'text/csv' },
      body: 'name,phone_number\nAsha,+255754000001\nBaraka,+255754000002\nChausiku,+255754000003',
      signal: abort.signal,
    }).catch(() => null);
    const waiting = async () =>
      Number(
        // This database's contacts table only: pg_locks is the whole server's, and other tests wait on theirs.
        (
          await locker.query(
            "select count(*) as n from pg_locks where not granted and relation = 'contacts'::regclass",
          )
        ).rows[0].n,
      );
    for (let i = 0; i < 4000 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 5));
    abort.abort(); // the client hangs up while its import waits
    await request;
    const closing = gw.close();
    await new Promise((r) => setTimeout(r, 300));
    await locker.query('commit'); // the import goes on, while the gateway is closing
    await closing;
    expect(errors).toEqual([]);
    const { rows } = await locker.query('select count(*) as n from contacts');
    expect(Number(rows[0].n)).toBe(3);
  } finally {
    await locker.end();
    await fresh.drop();
  }
});
