import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configSchema, migrationNames } from '@mifumo/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startWorker, type TestWorker } from '../test/miniflare';
import { WORKER_CARRIERS, workerCarriers } from './carriers';

const FAKE = { carriers: [{ id: 'dev', type: 'fake', deliveryDelayMs: 0 }] };
const SEND = { message: 'Hello from Mifumo SMS!', recipients: ['+255123456789'], sender_id: 'MIFUMO' };

async function statusOf(
  w: TestWorker,
  id: string,
  want: string,
  tick: () => Promise<unknown> = async () => {},
) {
  let status = '';
  // Until it is `want`: 20 s at most (workerd on a loaded machine is slow; an idle one takes milliseconds).
  for (let i = 0; i < 400 && status !== want; i++) {
    await tick();
    await new Promise((r) => setTimeout(r, 50));
    status = (await w.call('GET', `/v1/sms/status/${id}/`)).json.data.status;
  }
  return status;
}

describe('the gateway inside workerd on D1', () => {
  let w: TestWorker;
  beforeAll(async () => {
    w = await startWorker({ config: FAKE });
  });
  afterAll(() => w.close());

  it('bootstraps from MIFUMO_ADMIN_KEY and delivers a send right after the response (waitUntil)', async () => {
    const balance = await w.call('GET', '/v1/sms/balance/');
    expect(balance.json).toMatchObject({ success: true, data: { balance: 5000, currency: 'TZS' } });
    const sent = await w.call('POST', '/v1/sms/send/', { body: SEND });
    expect(sent.json).toMatchObject({ success: true, data: { status: 'queued', cost: 10 } });
    expect(await statusOf(w, sent.json.data.message_id, 'delivered')).toBe('delivered');
  });

  it('answers /healthz and /readyz from workerd: D1 migrated, the fake carrier ready', async () => {
    expect((await w.mf.dispatchFetch('http://gateway.test/healthz')).status).toBe(200);
    const ready = await w.mf.dispatchFetch('http://gateway.test/readyz');
    expect(ready.status).toBe(200);
    const { data } = (await ready.json()) as {
      data: { database: { reachable: boolean; migrations_applied: number; migrations_expected: number } };
    };
    expect(data.database.reachable).toBe(true);
    expect(data.database.migrations_applied).toBe(data.database.migrations_expected);
  });

  it('serves the documentation page and the OpenAPI document from workerd', async () => {
    const docs = await w.mf.dispatchFetch('http://gateway.test/api/integration/documentation/');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('Mifumo SMS integration API');
    const spec = await w.mf.dispatchFetch('http://gateway.test/api/integration/openapi.json');
    expect(((await spec.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('runs a campaign on D1: imported contacts, a segment, personalised texts, cancel refunds what was left', async () => {
    const csv = `name,phone_number,tags\n${Array.from({ length: 60 }, (_, i) => `Mteja ${'x'.repeat(i % 9)} ${i},07${String(54_500_000 + i)},d1`).join('\n')}\n`;
    const imported = await w.call('POST', '/v1/contacts/import/', {
      raw: csv,
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(imported.json.data).toMatchObject({ created: 60, failed: 0 });
    const seg = (
      await w.call('POST', '/v1/contacts/segments/create/', {
        body: { name: 'D1', criteria: { tags: ['d1'] } },
      })
    ).json.data;
    const before = (await w.call('GET', '/v1/sms/balance/')).json.data.balance;
    const c = await w.call('POST', '/v1/campaigns/', {
      body: {
        name: 'D1',
        segment_id: seg.id,
        message: 'Habari {first_name|mteja} {last_name}',
        schedule_time: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    expect(c.status).toBe(201);
    expect(c.json.data).toMatchObject({ status: 'scheduled', recipients: 60, cost: 600 });
    const cancelled = (await w.call('POST', `/v1/campaigns/${c.json.data.id}/cancel/`)).json.data;
    expect(cancelled).toMatchObject({ cancelled_now: 60, refunded_now: 600, status: 'cancelled' });
    expect((await w.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(before);
    const listed = (await w.call('GET', '/v1/campaigns/?per_page=50')).json.data;
    expect(listed.campaigns[0]).toMatchObject({
      id: c.json.data.id,
      refunded: 600,
      progress: { cancelled: 60 },
    });
  });

  it('serves the dashboard from workerd: sign in on D1, the overview counts a send, sign out', async () => {
    const base = 'https://gateway.test/api/integration/dashboard';
    const signIn = await w.mf.dispatchFetch(`${base}/sign-in`, {
      method: 'POST',
      body: new URLSearchParams({ api_key: ADMIN_KEY }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(signIn.status).toBe(303);
    const setCookie = signIn.headers.get('set-cookie')!;
    for (const flag of ['HttpOnly', 'Secure', 'SameSite=Strict']) expect(setCookie).toContain(flag);
    const cookie = setCookie.split(';')[0]!;
    const overview = await w.mf.dispatchFetch(`${base}/`, { headers: { cookie } });
    const html = await overview.text();
    expect(overview.status).toBe(200);
    expect(html).toMatch(/<svg class="chart"[^>]*data-total="[1-9]/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    // In Swahili: workerd's Intl knows sw-TZ (money in TSh, months in Swahili).
    const form = { cookie, 'content-type': 'application/x-www-form-urlencoded' };
    await w.mf.dispatchFetch(`${base}/language`, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: csrf, language: 'sw', next: '/api/integration/dashboard/' }),
      headers: form,
      redirect: 'manual',
    });
    const swahili = await (await w.mf.dispatchFetch(`${base}/`, { headers: { cookie } })).text();
    expect(swahili).toContain('<html lang="sw">');
    expect(swahili).toMatch(/id="balance">TSh\u00a0[\d,.]+</);
    const activity = await (await w.mf.dispatchFetch(`${base}/activity/`, { headers: { cookie } })).text();
    expect(activity).toMatch(
      /<time datetime="[^"]+">\d+ (Jan|Feb|Mac|Apr|Mei|Jun|Jul|Ago|Sep|Okt|Nov|Des) \d{4} \d\d:\d\d \(\+03:00\)/,
    );
    const out = await w.mf.dispatchFetch(`${base}/sign-out`, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: csrf }),
      headers: form,
      redirect: 'manual',
    });
    expect(out.headers.get('location')).toBe('/api/integration/dashboard/sign-in?done=signed-out');
    const after = await w.mf.dispatchFetch(`${base}/keys/`, { headers: { cookie }, redirect: 'manual' });
    expect(after.headers.get('location')).toBe('/api/integration/dashboard/sign-in');
  });

  it('dispatches a scheduled send from the cron trigger once it is due', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const sent = await w.call('POST', '/v1/sms/send/', { body: { ...SEND, schedule_time: at } });
    expect(sent.json.data.status).toBe('scheduled');
    await w.cron(); // not due yet
    expect((await w.call('GET', `/v1/sms/status/${sent.json.data.message_id}/`)).json.data.status).toBe(
      'scheduled',
    );
    await w.advanceClock(3_600_000);
    await w.cron();
    expect(await statusOf(w, sent.json.data.message_id, 'delivered')).toBe('delivered');
  });
});

describe('a large campaign on D1', () => {
  let w: TestWorker;
  beforeAll(async () => {
    w = await startWorker({ config: FAKE, vars: { MIFUMO_INITIAL_BALANCE: '12000' } });
  });
  afterAll(() => w.close());

  it('prepares a large campaign on D1 after its answer (waitUntil): `preparing`, then every recipient delivered once', async () => {
    const recipients = Array.from({ length: 1_200 }, (_, i) => `+2557545${String(i).padStart(5, '0')}`);
    const c = await w.call('POST', '/v1/campaigns/', {
      body: { name: 'Kubwa', recipients, message: 'Habari {name|rafiki}' },
    });
    expect(c.status).toBe(201);
    expect(c.json.data).toMatchObject({ status: 'preparing', recipients: 1_200, cost: 12_000 });
    let done = c.json.data;
    // Until it is completed: 90 s at most (seconds on an idle machine).
    for (let i = 0; i < 1800 && done.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      done = (await w.call('GET', `/v1/campaigns/${c.json.data.id}/`)).json.data;
    }
    expect(done).toMatchObject({ status: 'completed', progress: { delivered: 1_200, queued: 0, failed: 0 } });
  }, 120_000);
});

describe('webhooks from workerd', () => {
  it('POSTs sent and delivered, signed, to a receiver, from the same waitUntil as the dispatch', async () => {
    const got: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const receiver = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      got.push({ headers: req.headers, body });
      res.end('ok');
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const w = await startWorker({ config: { ...FAKE, webhooks: { allowPrivateNetworks: true } } });
    try {
      const sent = await w.call('POST', '/v1/sms/send/', { body: { ...SEND, webhook_url: url } });
      for (let i = 0; i < 400 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(got.map((g) => JSON.parse(g.body).status)).toEqual(['sent', 'delivered']);
      expect(JSON.parse(got[0]!.body).message_id).toBe(sent.json.data.message_id);
      expect(got[0]!.headers.authorization).toBe(`Bearer ${ADMIN_KEY}`);
      const secret = (await w.call('GET', '/v1/webhooks/')).json.data.signing_secret;
      const h = got[1]!.headers;
      const expected = createHmac('sha256', secret)
        .update(`${h['x-mifumo-timestamp']}.${got[1]!.body}`)
        .digest('hex');
      expect(h['x-mifumo-signature']).toBe(`v1=${expected}`);
    } finally {
      await w.close();
      receiver.close();
    }
  });
});

describe('with a dispatch queue', () => {
  let w: TestWorker;
  beforeAll(async () => {
    w = await startWorker({ config: FAKE, queue: true });
  });
  afterAll(() => w.close());

  it('sends the message id through the queue; its consumer submits it, and a redelivered job submits nothing more', async () => {
    const sent = await w.call('POST', '/v1/sms/send/', { body: SEND });
    const id = sent.json.data.message_id;
    expect(await statusOf(w, id, 'delivered')).toBe('delivered');
    const worker = await w.mf.getWorker();
    const job = { id: 'redelivered', timestamp: new Date(), attempts: 2, body: { messageId: id } };
    await worker.queue('dispatch', [job, { ...job, id: 'again' }]);
    const d1 = await w.d1();
    const rows = await d1.prepare('select attempts from recipients where message_id = ?').bind(id).all();
    expect(rows.results).toEqual([{ attempts: 1 }]);
    const refs = await d1
      .prepare(
        'select count(*) as n from carrier_refs c join recipients r on r.id = c.recipient_id where r.message_id = ?',
      )
      .bind(id)
      .first();
    expect(refs).toEqual({ n: 1 });
  });
});

describe('a Worker that is configured wrongly', () => {
  const started: TestWorker[] = [];
  afterEach(async () => {
    for (const w of started.splice(0)) await w.close();
  });

  it.each([
    [
      {
        carriers: [
          { id: 'op', type: 'smpp', host: 'smsc.example', port: 2775, systemId: 'u', password: 'p' },
        ],
      },
    ],
    [{ pricing: { perSegment: 'ten' } }],
  ])('answers 500 in the envelope (the log says why): %j', async (config) => {
    const w = await startWorker({ config });
    started.push(w);
    const r = await w.call('GET', '/v1/sms/balance/');
    expect(r.status).toBe(500);
    expect(r.json).toMatchObject({ success: false, error_code: 'INTERNAL_ERROR', data: null });
    expect(r.json.message).toContain('configuration');
  });

  it('keeps a server secret in D1 when MIFUMO_SECRET is not set', async () => {
    const w = await startWorker({ config: FAKE, vars: { MIFUMO_SECRET: '' } });
    started.push(w);
    expect((await w.call('GET', '/v1/webhooks/')).json.data.signing_secret).toMatch(/^whsec_/);
    const row = await (await w.d1())
      .prepare("select value from runtime_settings where name = 'server_secret'")
      .first();
    expect(String((row as { value: string }).value)).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});

describe('isolates migrating one new database at once', () => {
  it('all finish with the whole schema, whichever statements interleave, and serve', async () => {
    const w = await startWorker({ config: FAKE, isolates: 3 });
    try {
      // Each isolate's first request starts its gateway: migrations, then the bootstrap, at once.
      const answers = await Promise.all(
        [0, 1, 2].map(async (i) =>
          (await w.isolate(i)).fetch('http://gateway.test/api/integration/v1/sms/balance/', {
            headers: { Authorization: `Bearer ${ADMIN_KEY}` },
          }),
        ),
      );
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
      const applied = await (await w.d1()).prepare('select name from mifumo_migrations order by name').all();
      expect(applied.results.map((r) => (r as { name: string }).name)).toEqual(migrationNames()); // each once
    } finally {
      await w.close();
    }
  });
});

/** What the calls below read of the API's answers. */
interface Answer {
  message_id: string;
  status: string;
  recipients: { error: { code: string } | null }[];
  carriers: { id: string; state: string }[];
}

describe('isolates sharing one D1 database and one carrier', () => {
  it('submit together at its submitsPerSecond, never more in any second; a circuit one of them opens is open in all', async () => {
    const rate = 10;
    const arrivals: number[] = [];
    let failing = 0; // the next submits answered 500
    const carrier = createServer(async (req, res) => {
      for await (const _ of req);
      arrivals.push(Date.now());
      if (failing > 0) {
        failing--;
        res.writeHead(500).end('unwell');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message_id: `c-${arrivals.length}` }));
    });
    await new Promise<void>((r) => carrier.listen(0, '127.0.0.1', r));
    const w = await startWorker({
      isolates: 3,
      config: {
        carriers: [
          {
            id: 'agg',
            type: 'http',
            url: `http://127.0.0.1:${(carrier.address() as AddressInfo).port}/send`,
            body: { to: '{{to}}', text: '{{text}}' },
            idPath: 'message_id',
            submitsPerSecond: rate,
          },
        ],
        dispatch: { breakerFailures: 1, breakerCooldownMs: 600_000 },
      },
    });
    const on = async (i: number, method: string, path: string, body?: unknown) =>
      (
        await (
          await w.isolate(i)
        ).fetch(`http://gateway.test/api/integration${path}`, {
          method,
          headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        })
      ).json() as Promise<{ data: Answer }>;
    try {
      await on(0, 'GET', '/v1/sms/balance/'); // bootstraps the account
      await Promise.all([1, 2].map((i) => on(i, 'GET', '/v1/sms/balance/'))); // and starts the others' gateways
      // Each isolate dispatches its own send right after answering it (waitUntil), all at once; what
      // is put back goes out from the cron trigger.
      await Promise.all(
        [0, 1, 2].map((i) =>
          on(i, 'POST', '/v1/sms/send/', {
            message: `paced ${i}`,
            recipients: Array.from({ length: 20 }, (_, j) => `+25575450${i}${String(j).padStart(3, '0')}`),
          }),
        ),
      );
      for (let i = 0; i < 300 && arrivals.length < 60; i++) {
        await w.cron();
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(arrivals).toHaveLength(60);
      // The most within any one second (a window starting at any of them).
      const inOneSecond = arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + 1000).length);
      expect(Math.max(...inOneSecond)).toBeLessThanOrEqual(rate * 1.2);

      // The carrier fails a submit of isolate 0's: its circuit opens; isolate 1 skips the carrier.
      failing = 1;
      await on(0, 'POST', '/v1/sms/send/', { message: 'fails', recipients: ['+255754599000'] });
      for (let i = 0; i < 200 && arrivals.length < 61; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 1000)); // past the second isolate 1 may not have read it in
      const skipped = await on(1, 'POST', '/v1/sms/send/', {
        message: 'skipped',
        recipients: ['+255754599001'],
      });
      // Its dispatch after the answer found no carrier to take it: queued, waiting, the carrier not asked.
      let status: Answer | null = null;
      for (let i = 0; i < 200 && status?.recipients[0]?.error?.code !== 'CARRIER_UNAVAILABLE'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await on(1, 'GET', `/v1/sms/status/${skipped.data.message_id}/`)).data;
      }
      expect(status).toMatchObject({
        status: 'queued',
        recipients: [{ error: { code: 'CARRIER_UNAVAILABLE' } }],
      });
      expect(arrivals).toHaveLength(61);
      for (const i of [0, 1, 2])
        expect((await on(i, 'GET', '/v1/carriers/')).data.carriers).toMatchObject([
          { id: 'agg', state: 'breaker_open' },
        ]);
    } finally {
      await w.close();
      carrier.close();
    }
  }, 120_000);
});

describe('workerCarriers', () => {
  it('refuses SMPP by name, and builds the HTTP and fake carriers', () => {
    const smpp = configSchema.parse({
      carriers: [{ id: 'op', type: 'smpp', host: 'h', port: 1, systemId: 'u', password: 'p' }],
    });
    expect(() => workerCarriers(smpp, WORKER_CARRIERS)).toThrow(
      'carriers.0.type: smpp: SMPP needs long-lived TCP binds and runs only on the Node runtime',
    );
    const ok = configSchema.parse({
      carriers: [
        { id: 'dev', type: 'fake' },
        { id: 'at', type: 'africastalking', username: 'sandbox', apiKey: 'k', callbackToken: 'a'.repeat(16) },
      ],
    });
    expect(workerCarriers(ok, WORKER_CARRIERS).map((c) => c.id)).toEqual(['dev', 'at']);
    const custom = {
      ...WORKER_CARRIERS[0]!,
      create: () => ({
        id: 'x',
        type: 'fake',
        capabilities: { runtime: 'node' as const },
        submit: async () => ({ carrierMessageIds: [] }),
      }),
    };
    expect(() =>
      workerCarriers(configSchema.parse({ carriers: [{ id: 'x', type: 'fake' }] }), [custom]),
    ).toThrow('carrier x (fake) runs only on the Node runtime');
  });
});
