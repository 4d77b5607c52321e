import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshTestPostgres, openTestDatabase } from '../../test/databases';
import { createTestGateway, type TestGateway } from '../../test/harness';

const dialects: [string, () => Promise<{ url: string; drop(): Promise<void> }>][] = [
  [
    'SQLite file',
    async () => ({
      url: `file:${join(mkdtempSync(join(tmpdir(), 'mifumo-db-')), 't.db')}`,
      drop: async () => {},
    }),
  ],
  ['PostgreSQL', freshTestPostgres],
];

describe.each(dialects)('the gateway on %s', (_name, make) => {
  let g: TestGateway;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await make();
    drop = db.drop;
    g = await createTestGateway({ storage: openTestDatabase(db.url), balance: 500 });
  });
  afterAll(async () => {
    await g.close();
    await drop();
  });

  it('200 concurrent sends against a balance that covers 50: exactly 50 succeed, balance exactly 0', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        g.call('POST', '/v1/sms/send/', { body: { message: `n${i}`, recipients: ['+255754000111'] } }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(50);
    expect(results.filter((r) => r.status === 402)).toHaveLength(150);
    expect((await g.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(0);
  });

  it('two dispatchers at once submit each recipient exactly once, and reports land', async () => {
    const [a, b] = await Promise.all([g.mifumo.dispatchDue(), g.mifumo.dispatchDue()]);
    expect(a + b).toBe(50);
    expect(g.carrier.sent).toHaveLength(50);
    await g.settle();
    const reports = await g.call('GET', '/v1/sms/delivery-reports/?status=delivered&per_page=10&page=2');
    expect(reports.json.data.pagination).toEqual({ page: 2, per_page: 10, total: 50, total_pages: 5 });
  });

  it('contacts, search with LIKE wildcards taken literally, and segments', async () => {
    await g.call('POST', '/v1/contacts/create/', {
      body: {
        name: 'John Doe',
        phone_number: '+255123456789',
        email: 'john@example.com',
        tags: ['customer', 'vip'],
      },
    });
    await g.call('POST', '/v1/contacts/create/', {
      body: { name: 'Asha 50%_off', phone_number: '+255754000111', tags: ['customer'] },
    });
    expect(
      (await g.call('POST', '/v1/contacts/create/', { body: { name: 'Dup', phone_number: '0754000111' } }))
        .status,
    ).toBe(409);
    await g.call('POST', '/v1/contacts/create/', {
      body: { name: 'ŞEKER Élodie', phone_number: '+255754000222' },
    });
    const folded = await g.call('GET', `/v1/contacts/search/?q=${encodeURIComponent('şeker elodie')}`);
    expect(folded.json.data.contacts.map((c: { name: string }) => c.name)).toEqual(['ŞEKER Élodie']);
    const pct = await g.call('GET', '/v1/contacts/search/?q=50%25_');
    expect(pct.json.data.contacts.map((c: { name: string }) => c.name)).toEqual(['Asha 50%_off']);
    const seg = await g.call('POST', '/v1/contacts/segments/create/', {
      body: {
        name: 'VIP',
        criteria: { tags: ['vip', 'premium'], is_active: true, created_after: '2024-01-01' },
      },
    });
    const r = await g.call('GET', `/v1/contacts/search/?segment_id=${seg.json.data.id}`);
    expect(r.json.data.contacts.map((c: { name: string }) => c.name)).toEqual(['John Doe']);
    expect(r.json.data.contacts[0].tags).toEqual(['customer', 'vip']);
  });

  it('top-ups and refunds keep the ledger consistent with the balance', async () => {
    const account = await g.mifumo.admin.topUp(g.account.id, 12.5);
    expect(account.balance).toBe(12.5);
    const rows = await g.database.db
      .selectFrom('ledger_entries')
      .select(['amount'])
      .where('account_id', '=', g.account.id)
      .execute();
    expect(rows.reduce((s, r) => s + Number(r.amount), 0)).toBe(1250);
  });
});
