import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/databases';
import { createTestGateway, manualClock } from '../../test/harness';
import { webhookTestKit } from '../../test/webhook-gateways';

const { closers, gatewayOn, receiver, send, events, PRIVATE_OK } = webhookTestKit();

describe.each(ENGINES)('webhooks on %s', (_name, open) => {
  it('POSTs the seed payload for sent, then delivered, signed, with the sending key as Bearer', async () => {
    const rx = await receiver();
    const g = await gatewayOn(open);
    const messageId = await send(g, { recipients: ['+255754000111'], webhook_url: rx.url });
    await g.dispatchAndSettle();
    expect(await g.mifumo.deliverWebhooksDue()).toBe(2);

    expect(rx.received.map((r) => r.json)).toEqual(
      ['sent', 'delivered'].map((status) => ({
        message_id: messageId,
        status,
        recipients: [{ phone: '+255754000111', status, delivery_time: expect.any(String) }],
        metadata: { sender_id: 'MIFUMO', cost: 10, currency: 'TZS' },
      })),
    );
    const stored = await events(g);
    const { data: settings } = (await g.call('GET', '/v1/webhooks/')).json;
    for (const [i, r] of rx.received.entries()) {
      expect(r.headers.get('authorization')).toBe(`Bearer ${g.key}`);
      expect(r.headers.get('content-type')).toBe('application/json');
      expect(r.eventId).toBe(stored[i]!.id);
      const timestamp = r.headers.get('x-mifumo-timestamp')!;
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
      const expected = createHmac('sha256', settings.signing_secret)
        .update(`${timestamp}.${r.body}`)
        .digest('hex');
      expect(r.headers.get('x-mifumo-signature')).toBe(`v1=${expected}`);
    }
    expect(stored.map((e) => [e.event, e.status, Number(e.attempts), Number(e.last_http_status)])).toEqual([
      ['sent', 'succeeded', 1, 200],
      ['delivered', 'succeeded', 1, 200],
    ]);
    expect(await g.mifumo.deliverWebhooksDue()).toBe(0); // nothing twice
  });

  it('uses the account URL when the send names none, the send’s own when it does, and none when neither', async () => {
    const account = await receiver();
    const own = await receiver();
    const g = await gatewayOn(open);
    await send(g, { recipients: ['+255754000001'] }); // no target anywhere yet: no event
    await g.dispatchAndSettle();
    expect(await events(g)).toHaveLength(0);
    const put = await g.call('PUT', '/v1/webhooks/', { body: { url: account.url } });
    expect(put.status).toBe(200);
    const toAccount = await send(g, { recipients: ['+255754000002'] });
    const toOwn = await send(g, { recipients: ['+255754000003'], webhook_url: own.url });
    await g.dispatchAndSettle();
    await g.mifumo.deliverWebhooksDue();
    expect(account.received.map((r) => r.json.message_id)).toEqual([toAccount, toAccount]);
    expect(own.received.map((r) => r.json.message_id)).toEqual([toOwn, toOwn]);
  });

  it('reports a failure that never reached a carrier as failed, with no sent before it', async () => {
    const rx = await receiver();
    const g = await gatewayOn(open, { carrier: { fault: () => 'permanent' } });
    await send(g, { recipients: ['+255754000111'], webhook_url: rx.url });
    await g.mifumo.dispatchDue();
    await g.mifumo.deliverWebhooksDue();
    expect(rx.received.map((r) => [r.json.status, r.json.recipients[0].status])).toEqual([
      ['failed', 'failed'],
    ]);
  });

  it('leaves out Bearer when the account turns it off, and for sends made in process; the signature stays', async () => {
    const rx = await receiver();
    const g = await gatewayOn(open);
    await g.mifumo.api.send(g.account.id, {
      message: 'x',
      recipients: ['+255754000111'],
      webhook_url: rx.url,
    });
    await g.call('PUT', '/v1/webhooks/', { body: { url: null, bearer_auth: false } });
    await send(g, { recipients: ['+255754000112'], webhook_url: rx.url });
    await g.dispatchAndSettle();
    await g.mifumo.deliverWebhooksDue();
    expect(rx.received).toHaveLength(4);
    for (const r of rx.received) {
      expect(r.headers.get('authorization')).toBeNull();
      expect(r.headers.get('x-mifumo-signature')).toMatch(/^v1=[0-9a-f]{64}$/);
    }
  });

  it('keeps the revoked key out of its messages’ webhooks (it is erased on revoke)', async () => {
    const rx = await receiver();
    const g = await gatewayOn(open);
    const created = await g.call('POST', '/v1/keys/', { body: { name: 'sender', permissions: ['write'] } });
    await send(g, { recipients: ['+255754000111'], webhook_url: rx.url }, created.json.data.key);
    const sealed = await g.database.db
      .selectFrom('api_keys')
      .select('sealed_key')
      .where('id', '=', created.json.data.id)
      .executeTakeFirstOrThrow();
    expect(sealed.sealed_key).toMatch(/^v1\./);
    expect(sealed.sealed_key).not.toContain(created.json.data.key);
    await g.call('DELETE', `/v1/keys/${created.json.data.id}/`);
    await g.dispatchAndSettle();
    await g.mifumo.deliverWebhooksDue();
    expect(rx.received.map((r) => r.headers.get('authorization'))).toEqual([null, null]);
  });

  it('stops sending a key as Bearer once it has expired, or its rotation grace has ended, as after a revoke', async () => {
    const clock = manualClock(Date.now());
    const rx = await receiver();
    const g = await gatewayOn(open, { clock });
    const key = async (body: Record<string, unknown>) =>
      (await g.call('POST', '/v1/keys/', { body: { permissions: ['write'], ...body } })).json.data;
    const expiring = await key({
      name: 'expiring',
      expires_at: new Date(clock.now() + 60_000).toISOString(),
    });
    const rotated = await key({ name: 'rotated' });
    await send(g, { recipients: ['+255754000111'], webhook_url: rx.url }, expiring.key);
    await send(g, { recipients: ['+255754000112'], webhook_url: rx.url }, rotated.key);
    const rotate = await g.call('POST', `/v1/keys/${rotated.id}/rotate/`, {
      body: { grace_period_seconds: 30 },
    });
    expect(rotate.status).toBe(201);
    await g.dispatchAndSettle();
    clock.advance(29_000); // both still valid: both still sent
    await g.mifumo.deliverWebhooksDue();
    const bearers = () =>
      rx.received.map((r) => [r.json.recipients[0].phone, r.headers.get('authorization')]);
    expect(bearers().filter(([, auth]) => auth !== null)).toHaveLength(4);
    const resend = async () => {
      const { deliveries } = (await g.call('GET', '/v1/webhooks/deliveries/')).json.data;
      for (const d of deliveries) await g.call('POST', `/v1/webhooks/deliveries/${d.id}/resend/`);
      rx.received.length = 0;
      await g.mifumo.deliverWebhooksDue();
    };
    clock.advance(2_000); // the rotated key's grace is over; the other key still has 29 s
    await resend();
    expect(new Set(bearers().map(([phone, auth]) => `${phone} ${auth}`))).toEqual(
      new Set([`+255754000111 Bearer ${expiring.key}`, '+255754000112 null']),
    );
    clock.advance(30_000); // past the first key's expiry
    await resend();
    expect(bearers().map(([, auth]) => auth)).toEqual([null, null, null, null]);
  });

  it('retries 500s and slow answers with growing, jittered delays, and records every attempt', async () => {
    const clock = manualClock(Date.now());
    let answer = 0;
    const rx = await receiver(async (n) => {
      answer = n;
      if (n === 3) await new Promise((r) => setTimeout(r, 2500)); // slower than the timeout
      return n <= 3 ? new Response('busy', { status: 500 }) : undefined;
    });
    const g = await gatewayOn(open, {
      clock,
      random: () => 1,
      config: {
        // A timeout a loaded machine's quick answers stay well inside, and the slow one well past.
        webhooks: { allowPrivateNetworks: true, retryBaseMs: 1000, timeoutMs: 1000, claimTimeoutMs: 5000 },
      },
    });
    await send(g, { recipients: ['+255754000111'], webhook_url: rx.url });
    await g.dispatchAndSettle();
    const start = clock.now();
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      await g.mifumo.deliverWebhooksDue();
      const [sent] = await events(g);
      if (sent!.status === 'succeeded') break;
      const wait = Date.parse(sent!.next_attempt_at) - clock.now();
      waits.push(wait);
      clock.advance(wait - 1);
      expect(await g.mifumo.deliverWebhooksDue()).toBe(0); // not before its time
      clock.advance(1);
    }
    expect(waits).toEqual([1000, 2000, 4000]);
    const [sent, delivered] = await events(g);
    expect(sent).toMatchObject({ status: 'succeeded', last_http_status: 200, last_error: null });
    expect(Number(sent!.attempts)).toBe(4);
    expect(answer).toBeGreaterThanOrEqual(4);
    expect(delivered!.status).toBe('succeeded');
    expect(clock.now() - start).toBe(7000);
  });

  it('records each failure on the delivery: the HTTP status and a snippet, a timeout, a refused connection', async () => {
    const clock = manualClock(Date.now());
    const rx = await receiver(async (n) => {
      if (n === 1) return new Response('{"error":"database down"}', { status: 503 });
      await new Promise((r) => setTimeout(r, 2500));
      return undefined;
    });
    const g = await gatewayOn(open, {
      clock,
      random: () => 0,
      config: { webhooks: { allowPrivateNetworks: true, timeoutMs: 1000, retryBaseMs: 1000 } },
    });
    await send(g, { recipients: ['+255754000111'], webhook_url: rx.url });
    await g.dispatchAndSettle();
    const sentDelivery = async () =>
      (await g.call('GET', '/v1/webhooks/deliveries/')).json.data.deliveries.find(
        (d: { event: string }) => d.event === 'sent',
      );
    await g.mifumo.deliverWebhooksDue();
    expect(await sentDelivery()).toMatchObject({
      event: 'sent',
      status: 'pending',
      attempts: 1,
      last_http_status: 503,
      last_error: 'HTTP 503: {"error":"database down"}',
    });
    clock.advance(500);
    await g.mifumo.deliverWebhooksDue();
    expect(await sentDelivery()).toMatchObject({
      attempts: 2,
      last_http_status: null,
      last_error: 'timed out after 1000 ms',
    });
    await rx.stop();
    clock.advance(1000);
    await g.mifumo.deliverWebhooksDue();
    expect((await sentDelivery()).last_error).toMatch(/fetch failed|ECONNREFUSED/);
  });

  it('gives up at once on 410, and after the retry window otherwise', async () => {
    const clock = manualClock(Date.now());
    const gone = await receiver(() => new Response('bye', { status: 410 }));
    const down = await receiver(() => new Response('no', { status: 500 }));
    const g = await gatewayOn(open, {
      clock,
      random: () => 1,
      config: { webhooks: { allowPrivateNetworks: true, retryBaseMs: 1000, retryForMs: 10_000 } },
    });
    await send(g, { recipients: ['+255754000111'], webhook_url: gone.url });
    await send(g, { recipients: ['+255754000222'], webhook_url: down.url });
    await g.dispatchAndSettle();
    for (let i = 0; i < 10; i++) {
      await g.mifumo.deliverWebhooksDue();
      clock.advance(5000);
    }
    // Given up: the recipient's next event (its delivered) goes out, and is given up in turn.
    expect(gone.received.map((r) => r.json.status)).toEqual(['sent', 'delivered']);
    const all = await events(g);
    const toGone = all.filter((e) => e.url === gone.url);
    expect(toGone[0]).toMatchObject({ status: 'failed', last_http_status: 410 });
    expect(toGone[0]!.last_error).toContain('asked to stop');
    const toDown = all.filter((e) => e.url === down.url);
    expect(toDown[0]!.status).toBe('failed');
    // Tried at 0 s, 5 s and 10 s (waits of 1 s and 2 s, each tried 5 s later); the next would pass 10 s.
    expect(toDown[0]!.last_error).toBe('HTTP 500: no (gave up after 3 attempts)');
    expect(down.received.filter((r) => r.json.status === 'sent')).toHaveLength(3);
  });

  it('does not follow a redirect', async () => {
    const target = await receiver();
    const rx = await receiver(() => new Response(null, { status: 302, headers: { location: target.url } }));
    const g = await gatewayOn(open);
    await send(g, { recipients: ['+255754000111'], webhook_url: rx.url });
    await g.dispatchAndSettle();
    await g.mifumo.deliverWebhooksDue();
    expect(target.received).toHaveLength(0);
    const [sent] = await events(g);
    expect(sent).toMatchObject({ status: 'pending', last_http_status: 302 });
    expect(sent!.last_error).toBe(`HTTP 302: redirect to ${target.url} not followed`);
  });

  it('never makes the same attempt twice across gateways sharing the database', async () => {
    const db = await open();
    closers.push(db.drop);
    const rx = await receiver(async () => {
      await new Promise((r) => setTimeout(r, 5));
      return undefined;
    });
    const config = { ...PRIVATE_OK };
    const a = await createTestGateway({ storage: db.storage, config });
    closers.push(a.close);
    // A second gateway on the same database: the same file for SQLite is not possible in memory, so
    // share the driver; each gateway still claims on its own.
    const b = await createTestGateway({ storage: { ...db.storage, close: async () => {} }, config });
    closers.push(b.close);
    for (let i = 0; i < 40; i++)
      await send(a, { recipients: [`+2557540001${String(i).padStart(2, '0')}`], webhook_url: rx.url });
    await a.dispatchAndSettle();
    await Promise.all([
      a.mifumo.deliverWebhooksDue(),
      b.mifumo.deliverWebhooksDue(),
      a.mifumo.deliverWebhooksDue(),
    ]);
    await Promise.all([a.mifumo.deliverWebhooksDue(), b.mifumo.deliverWebhooksDue()]);
    const ids = rx.received.map((r) => r.eventId);
    expect(ids).toHaveLength(80);
    expect(new Set(ids).size).toBe(80);
  });

  it('delivers every event of 1,000 messages to a receiver failing every third call, none lost', async () => {
    const clock = manualClock(Date.now());
    const rx = await receiver((n) => (n % 3 === 0 ? new Response('flaky', { status: 500 }) : undefined));
    const g = await gatewayOn(open, {
      clock,
      balance: 20_000,
      // Many attempts at once (the receiver takes them all): what is tested is that none is lost.
      config: {
        webhooks: {
          allowPrivateNetworks: true,
          retryBaseMs: 1,
          maxRetryDelayMs: 5,
          batchSize: 200,
          maxInFlightPerHost: 100,
        },
      },
    });
    // Sent ten at a time, in order within each ten.
    const ids: string[] = [];
    for (let i = 0; i < 1000; i += 10)
      ids.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, j) =>
            send(g, { recipients: [`+25575400${String(i + j).padStart(4, '0')}`], webhook_url: rx.url }),
          ),
        )),
      );
    await g.dispatchAndSettle();
    for (let round = 0; round < 200; round++) {
      await g.mifumo.deliverWebhooksDue();
      const left = await g.database.db
        .selectFrom('webhook_events')
        .select('id')
        .where('status', '<>', 'succeeded')
        .executeTakeFirst();
      if (!left) break;
      clock.advance(5); // every retry is due again
    }
    const ok = rx.succeeded();
    const byEvent = new Map<string, string>();
    for (const r of ok) byEvent.set(r.eventId, `${r.json.message_id}:${r.json.status}`);
    expect(byEvent.size).toBe(2000); // every event; any repeat carries the same event id
    expect(new Set(byEvent.values()).size).toBe(2000);
    for (const id of ids) {
      const order = ok.filter((r) => r.json.message_id === id).map((r) => r.json.status);
      expect(order[0]).toBe('sent');
      expect(order.at(-1)).toBe('delivered');
    }
    expect(rx.received.filter((r) => r.status === 500).length).toBeGreaterThan(600);
  }, 120_000);
});
