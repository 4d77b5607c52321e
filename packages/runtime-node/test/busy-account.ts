import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '@mifumo/core';
import BetterSqlite3 from 'better-sqlite3';
import { startGateway } from '../src/gateway';

const ADMIN_KEY = 'mk_live_budgetadminkey0123456789012345678abcdefg';

// biome-ignore lint/suspicious/noExplicitAny: callers read arbitrary JSON
type Reply = { status: number; json: any };

function check(ok: boolean, what: string, got: unknown) {
  if (!ok) throw new Error(`${what}: got ${JSON.stringify(got)}`);
}

/**
 * A gateway (SQLite file, fake carrier) whose account A has `contacts` contacts, and account B, which
 * only reads its balance. `heavy` is A's long work, each a step of issue 21's budget: quoting a
 * campaign to all of them, four quotes at once, creating it (until every recipient is moved in), and
 * listing its messages by status; each checks its answers and throws if one is wrong.
 * Shared by the test (does B get answers while A works?) and `bench/budget.ts` (how long B waits).
 */
export async function gatewayWithBusyAccount(contacts: number) {
  const dir = mkdtempSync(join(tmpdir(), 'mifumo-budget-'));
  const file = join(dir, 'budget.db');
  const gw = await startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: `file:${file}`,
      adminKey: ADMIN_KEY,
      initialBalance: 10 * contacts,
      config: configSchema.parse({
        carriers: [{ id: 'dev', type: 'fake' }],
        limits: { smsPerMinute: 1_000_000, apiCallsPerHour: 1_000_000, contactOpsPerHour: 1_000_000 },
      }),
      secret: { value: undefined, file: join(dir, 'budget.secret') },
    },
    { logger: { error: () => {} } },
  );
  const accountA = gw.bootstrapped!.account.id;
  // A bulk insert on a connection of its own, as a restore would (the API is not what is exercised).
  const sqlite = new BetterSqlite3(file);
  const insert = sqlite.prepare(
    `insert into contacts (id, account_id, name, phone, email, search_name, search_email, is_active, created_at, updated_at)
     values (?, ?, ?, ?, null, ?, null, 1, ?, ?)`,
  );
  sqlite.transaction(() => {
    for (let i = 0; i < contacts; i++) {
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
  // A connection per request: a kept-alive one left idle while A works can be closed by the server just
  // as the client picks it again ("other side closed"), and that race is not what is exercised here.
  const call = (key: string, method: string, path: string, body?: unknown) =>
    new Promise<Reply>((resolve, reject) => {
      const req = request(`${api}${path}`, {
        method,
        agent: false,
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      });
      req.on('response', async (res) => {
        let text = '';
        for await (const chunk of res) text += chunk;
        resolve({ status: res.statusCode!, json: JSON.parse(text) });
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  const segment = await call(ADMIN_KEY, 'POST', '/v1/contacts/segments/create/', {
    name: 'all',
    criteria: {},
  });
  check(segment.status === 201, 'segment', segment);
  const campaign = {
    name: 'Everyone',
    segment_id: segment.json.data.id,
    // A text per contact: one message each. Scheduled, so the dispatcher leaves them be.
    message: 'Habari {name}, oda yako iko tayari.',
    schedule_time: new Date(Date.now() + 86_400_000).toISOString(),
  };
  const quote = async () => {
    const r = await call(ADMIN_KEY, 'POST', '/v1/campaigns/quote/', campaign);
    check(r.status === 200 && r.json.data.recipients === contacts, 'quote', r);
  };
  // A campaign is `preparing` while rows of it are staged; read on a connection of this module's own,
  // so waiting for the preparation to end makes no request of A's.
  const reader = new BetterSqlite3(file, { readonly: true });
  const staged = reader.prepare<[string, string], { staged: number }>(
    `select exists (select 1 from staged_messages where campaign_id = ?)
         or exists (select 1 from staged_recipients where campaign_id = ?) as staged`,
  );
  const prepared = async (id: string) => {
    while (staged.get(id, id)!.staged) await new Promise((resolve) => setImmediate(resolve));
  };

  /** A's long work, and how many requests of A's each makes. */
  const heavy = {
    quoted: { requests: 1, run: quote },
    quotedInParallel: {
      requests: 4,
      run: async () => {
        await Promise.all([quote(), quote(), quote(), quote()]);
      },
    },
    // Until the work loop has moved every recipient in (the answer comes while it is `preparing`).
    created: {
      requests: 2,
      run: async () => {
        const made = await call(ADMIN_KEY, 'POST', '/v1/campaigns/', campaign);
        check(
          made.status === 201 &&
            made.json.data.recipients === contacts &&
            made.json.data.progress.queued === contacts,
          'campaign',
          made,
        );
        await prepared(made.json.data.id);
        const done = await call(ADMIN_KEY, 'GET', `/v1/campaigns/${made.json.data.id}/`);
        check(done.json.data.status === 'scheduled', 'prepared campaign', done);
      },
    },
    listed: {
      requests: 8,
      run: async () => {
        const statuses = [
          'delivered',
          'scheduled',
          'failed',
          'queued',
          'sent',
          'expired',
          'partially_delivered',
        ];
        const replies = await Promise.all(
          [...statuses, 'scheduled'].map((status) =>
            call(ADMIN_KEY, 'GET', `/v1/sms/messages/?status=${status}&per_page=20`),
          ),
        );
        const totals = replies.map((r) => r.json.data.pagination.total);
        check(
          JSON.stringify(totals) === JSON.stringify([0, contacts, 0, 0, 0, 0, 0, contacts]),
          'totals',
          totals,
        );
      },
    },
  };

  /** B reads its balance once. */
  const readB = async () => {
    const r = await call(keyB, 'GET', '/v1/sms/balance/');
    check(r.status === 200, 'balance of B', r);
  };

  /**
   * Runs `work` while B reads its balance back to back; the time of each of B's reads (ms), and how
   * many of them were answered before `work` ended.
   */
  async function whileBReads(work: () => Promise<void>) {
    const latencies: number[] = [];
    let working = true;
    let answeredDuringWork = 0;
    const reader = (async () => {
      while (working) {
        const start = performance.now();
        await readB();
        latencies.push(performance.now() - start);
        if (working) answeredDuringWork++;
      }
    })();
    try {
      await work();
    } finally {
      working = false;
      await reader;
    }
    return { latencies, answeredDuringWork };
  }

  return {
    gw,
    heavy,
    readB,
    whileBReads,
    async close() {
      reader.close();
      await gw.close();
    },
  };
}
