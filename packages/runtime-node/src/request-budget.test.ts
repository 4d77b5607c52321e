import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '@mifumo/core';
import BetterSqlite3 from 'better-sqlite3';
import { expect, it } from 'vitest';
import { startGateway } from './gateway';

const CONTACTS = 100_000;
const ADMIN_KEY = 'mk_live_budgetadminkey0123456789012345678abcdefg';

/** The 99th percentile of `values`. */
const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.99)]!;

// The one timed test issue 21 asks for: no request of one account may hold the gateway. Many reads are
// measured and judged at the 99th percentile, so a loaded machine's odd pause does not decide it.
it('keeps another account’s balance reads under 250 ms at p99 while one account quotes, creates and prepares a 100,000-contact campaign and lists its messages by status', {
  timeout: 600_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mifumo-budget-'));
  const file = join(dir, 'budget.db');
  const gw = await startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: `file:${file}`,
      adminKey: ADMIN_KEY,
      initialBalance: 10_000_000,
      config: configSchema.parse({
        carriers: [{ id: 'dev', type: 'fake' }],
        limits: { smsPerMinute: 1_000_000, apiCallsPerHour: 1_000_000, contactOpsPerHour: 1_000_000 },
      }),
      secret: { value: undefined, file: join(dir, 'budget.secret') },
    },
    { logger: { error: () => {} } },
  );
  try {
    const accountA = gw.bootstrapped!.account.id;
    // A bulk insert on a connection of its own, as a restore would (the API is not what is measured).
    const sqlite = new BetterSqlite3(file);
    const insert = sqlite.prepare(
      `insert into contacts (id, account_id, name, phone, email, search_name, search_email, is_active, created_at, updated_at)
       values (?, ?, ?, ?, null, ?, null, 1, ?, ?)`,
    );
    sqlite.transaction(() => {
      for (let i = 0; i < CONTACTS; i++) {
        const at = new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString();
        insert.run(
          `ct_${String(i).padStart(7, '0')}`,
          accountA,
          `Mteja ${i}`,
          `+2557${10_000_000 + i}`,
          `mteja ${i}`,
          at,
          at,
        );
      }
    })();
    sqlite.close();

    const b = await gw.mifumo.admin.createAccount({ name: 'B', balance: 10 });
    const { key: keyB } = await gw.mifumo.admin.createKey({
      accountId: b.id,
      name: 'b',
      permissions: ['read'],
    });
    const api = `${gw.url}/api/integration`;
    const call = async (key: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${api}${path}`, {
        method,
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, json: await res.json() };
    };
    const segment = await call(ADMIN_KEY, 'POST', '/v1/contacts/segments/create/', {
      name: 'all',
      criteria: {},
    });
    expect(segment.status).toBe(201);
    const campaign = {
      name: 'Everyone',
      segment_id: segment.json.data.id,
      // A text per contact: 100,000 messages. Scheduled, so the dispatcher leaves them be.
      message: 'Habari {name}, oda yako iko tayari.',
      schedule_time: new Date(Date.now() + 86_400_000).toISOString(),
    };

    /** Runs `work` as account A while account B reads its balance over and over; B's read times. */
    async function whileBReads(work: () => Promise<void>) {
      const latencies: number[] = [];
      let working = true;
      const reader = (async () => {
        while (working) {
          const start = performance.now();
          const r = await call(keyB, 'GET', '/v1/sms/balance/');
          latencies.push(performance.now() - start);
          expect(r.status).toBe(200);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      try {
        await work();
      } finally {
        working = false;
        await reader;
      }
      return latencies;
    }

    const quoted = await whileBReads(async () => {
      const r = await call(ADMIN_KEY, 'POST', '/v1/campaigns/quote/', campaign);
      expect(r.status).toBe(200);
      expect(r.json.data.recipients).toBe(CONTACTS);
    });
    const quotedInParallel = await whileBReads(async () => {
      const replies = await Promise.all(
        [1, 2, 3, 4].map(() => call(ADMIN_KEY, 'POST', '/v1/campaigns/quote/', campaign)),
      );
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    });
    // Measured until the work loop has moved every recipient in (the answer comes while it is `preparing`).
    const created = await whileBReads(async () => {
      const made = await call(ADMIN_KEY, 'POST', '/v1/campaigns/', campaign);
      expect(made.status).toBe(201);
      expect(made.json.data).toMatchObject({ recipients: CONTACTS, progress: { queued: CONTACTS } });
      let status = made.json.data.status;
      while (status === 'preparing') {
        await new Promise((resolve) => setTimeout(resolve, 50));
        status = (await call(ADMIN_KEY, 'GET', `/v1/campaigns/${made.json.data.id}/`)).json.data.status;
      }
      expect(status).toBe('scheduled');
    });
    const listed = await whileBReads(async () => {
      const replies = await Promise.all(
        [
          'delivered',
          'scheduled',
          'failed',
          'queued',
          'sent',
          'expired',
          'partially_delivered',
          'scheduled',
        ].map((status) => call(ADMIN_KEY, 'GET', `/v1/sms/messages/?status=${status}&per_page=20`)),
      );
      expect(replies.map((r) => r.json.data.pagination.total)).toEqual([
        0,
        CONTACTS,
        0,
        0,
        0,
        0,
        0,
        CONTACTS,
      ]);
    });

    const phases = { quoted, quotedInParallel, created, listed };
    const report = Object.entries(phases)
      .map(
        ([name, l]) =>
          `${name}: ${l.length} reads, p99 ${p99(l).toFixed(0)} ms, max ${Math.max(...l).toFixed(0)} ms`,
      )
      .join('; ');
    if (process.env.MIFUMO_TEST_LOG) console.log(report);
    expect(p99(Object.values(phases).flat()), report).toBeLessThan(250);
    for (const l of Object.values(phases)) expect(l.length, report).toBeGreaterThan(20);
  } finally {
    await gw.close();
  }
});
