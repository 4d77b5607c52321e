import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createFakeCarrier, createMifumo, migrateToLatest } from '@mifumo/core';
import type { KyselyPlugin } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase } from './database';

it('an export whose database fails after the file has started is cut off: the client sees an incomplete transfer, not a short file', async () => {
  const database = openDatabase('file::memory:');
  await migrateToLatest(database.db);
  // The ledger can be read once (the export's first page, before its answer starts), then fails.
  let ledgerReads = 0;
  const failing: KyselyPlugin = {
    transformQuery({ node }) {
      if (node.kind === 'SelectQueryNode' && JSON.stringify(node.from).includes('"ledger_entries"'))
        if (++ledgerReads > 1) throw new Error('disk I/O error');
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  const logged: string[] = [];
  const mifumo = createMifumo({
    secret: 'ab'.repeat(32),
    storage: { ...database, db: database.db.withPlugin(failing) },
    carriers: [createFakeCarrier({ id: 'dev' })],
    logger: { error: (message) => logged.push(message) },
  });
  const server = serve({ fetch: mifumo.fetch, port: 0, hostname: '127.0.0.1' });
  try {
    await mifumo.start();
    const account = await mifumo.admin.createAccount({ name: 'A', balance: 100 });
    const { key } = await mifumo.admin.createKey({ accountId: account.id, name: 'r', permissions: ['read'] });
    const at = new Date().toISOString();
    const day = at.slice(0, 10);
    // 1,500 entries: a first page of 1,000, and more after it.
    for (let chunk = 0; chunk < 1500; chunk += 100)
      await database.db
        .insertInto('ledger_entries')
        .values(
          Array.from({ length: 100 }, (_, i) => ({
            id: `led_${String(chunk + i).padStart(5, '0')}`,
            account_id: account.id,
            amount: 100,
            balance_after: 10_000 + (chunk + i) * 100,
            kind: 'topup' as const,
            reference: null,
            created_at: at,
          })),
        )
        .execute();
    if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    ledgerReads = 0;

    const res = await fetch(
      `http://127.0.0.1:${port}/api/integration/v1/exports/ledger.csv?from=${day}&to=${day}&time_zone=UTC`,
      { headers: { Authorization: `Bearer ${key}` } },
    );
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'text/csv; charset=utf-8']);
    expect([res.headers.get('transfer-encoding'), res.headers.get('content-length')]).toEqual([
      'chunked',
      null,
    ]);
    await expect(res.text()).rejects.toThrow();
    expect(ledgerReads).toBe(2);
    expect(logged).toEqual([`The ledger export of ${account.id} failed after it started`]);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await mifumo.close();
    await database.close();
  }
});
