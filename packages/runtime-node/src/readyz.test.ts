import { configSchema } from '@mifumo/core';
import { afterAll, expect, it } from 'vitest';
import { startGateway } from './gateway';
import { freshPostgres } from './testing';
import { postgresProxy } from './testing/postgres-proxy';

const pg = await freshPostgres();
afterAll(() => pg.drop());

/** `/readyz` until its status is `status` (20 s at most: CI runs loaded). */
async function readyzUntil(url: string, status: number) {
  let last: { status: number; json: { message: string } } | undefined;
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${url}/readyz`);
    last = { status: res.status, json: await res.json() };
    if (last.status === status) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`readyz stayed ${JSON.stringify(last)}`);
}

it('/readyz turns 503 while PostgreSQL cannot be reached, and back once it can; the gateway lives on', async () => {
  const proxy = postgresProxy();
  const port = await proxy.listen();
  const databaseUrl = new URL(pg.url);
  databaseUrl.port = String(port);
  const errors: string[] = [];
  const gw = await startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: databaseUrl.toString(),
      adminKey: 'mk_live_readyz0123456789abcdef0123456789abcdefgh',
      initialBalance: 10,
      config: configSchema.parse({}),
      secret: { value: 'cd'.repeat(32), file: '' },
    },
    { logger: { error: (m) => errors.push(m), warn: () => {} } },
  );
  try {
    const { url } = gw;
    expect((await readyzUntil(url, 200)).json.message).toBe('Ready to take traffic');

    await proxy.cut();
    const down = await readyzUntil(url, 503);
    expect(down.json.message).toMatch(/^Not ready: the database does not answer: /);
    expect((await fetch(`${url}/healthz`)).status).toBe(200); // the process still answers

    await proxy.listen(port);
    await readyzUntil(url, 200);
    const balance = await fetch(`${url}/api/integration/v1/sms/balance`, {
      headers: { Authorization: 'Bearer mk_live_readyz0123456789abcdef0123456789abcdefgh' },
    });
    expect(balance.status).toBe(200);
  } finally {
    await gw.close();
  }
});
