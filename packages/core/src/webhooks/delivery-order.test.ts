import { describe, expect, it, vi } from 'vitest';
import { ENGINES } from '../../test/databases';
import { manualClock } from '../../test/harness';
import { webhookTestKit } from '../../test/webhook-gateways';

const { gatewayOn, receiver, send, events } = webhookTestKit();

const phone = (i: number) => `+25575400${String(i).padStart(4, '0')}`;

/**
 * A receiver's hold on the requests it gets: each waits in `pass` until released, one at a time or
 * all from `open` on. Counts how many were held at once at most.
 */
function gate() {
  const held: (() => void)[] = [];
  let opened = false;
  let inside = 0;
  let most = 0;
  return {
    async pass() {
      inside++;
      most = Math.max(most, inside);
      if (!opened) await new Promise<void>((r) => held.push(r));
      inside--;
    },
    get holding() {
      return held.length;
    },
    get most() {
      return most;
    },
    releaseOne() {
      held.shift()?.();
    },
    open() {
      opened = true;
      for (const release of held.splice(0)) release();
    },
  };
}

describe.each(ENGINES)('webhook delivery order on %s', (_name, open) => {
  it('tries every recipient’s first event while the receiver refuses connections, none of their final events, then each recipient’s in order', async () => {
    const clock = manualClock(Date.now());
    const rx = await receiver();
    const g = await gatewayOn(open, { clock, random: () => 1, config: { webhooks: { retryBaseMs: 1000 } } });
    const phones = [phone(1), phone(2), phone(3)];
    const messageId = await send(g, { recipients: phones, webhook_url: rx.url });
    const other = await send(g, { recipients: [phone(9)], webhook_url: rx.url });
    await rx.stop();
    await g.dispatchAndSettle();
    // One round: each recipient's head is tried once (the message's recipients side by side).
    expect(await g.mifumo.deliverWebhooksDue()).toBe(4);
    for (let i = 0; i < 2; i++) {
      clock.advance(60_000);
      expect(await g.mifumo.deliverWebhooksDue()).toBe(4);
    }
    expect(rx.received).toHaveLength(0);
    const waiting = await events(g);
    expect(waiting).toHaveLength(8);
    expect(waiting.map((e) => [e.event, Number(e.attempts)]).sort()).toEqual([
      ['delivered', 0],
      ['delivered', 0],
      ['delivered', 0],
      ['delivered', 0],
      ['sent', 3],
      ['sent', 3],
      ['sent', 3],
      ['sent', 3],
    ]);
    await rx.restart();
    clock.advance(60_000);
    expect(await g.mifumo.deliverWebhooksDue()).toBe(8);
    for (const p of [...phones, phone(9)]) {
      const mine = rx.received.filter((r) => r.json.recipients[0].phone === p);
      expect(mine.map((r) => r.json.status)).toEqual(['sent', 'delivered']);
      expect(mine.map((r) => r.json.message_id)).toEqual(Array(2).fill(p === phone(9) ? other : messageId));
    }
  });

  it('delivers one message’s recipients in parallel, at most maxInFlightPerHost at a time to a receiver, each recipient’s sent before its final event', async () => {
    const cap = 4;
    // Each request is held until `cap` are held at once (or, should that never happen, 5 s have passed).
    const latch = gate();
    const rx = await receiver(async () => {
      const passing = latch.pass();
      if (latch.holding >= cap) latch.open();
      await passing;
      return undefined;
    });
    const g = await gatewayOn(open, { config: { webhooks: { maxInFlightPerHost: cap } } });
    const phones = Array.from({ length: 40 }, (_, i) => phone(i));
    await send(g, { recipients: phones, webhook_url: rx.url });
    await g.dispatchAndSettle();
    const fallback = setTimeout(() => latch.open(), 5000);
    try {
      expect(await g.mifumo.deliverWebhooksDue()).toBe(80);
    } finally {
      clearTimeout(fallback);
    }
    expect(latch.most).toBe(cap);
    for (const p of phones)
      expect(rx.received.filter((r) => r.json.recipients[0].phone === p).map((r) => r.json.status)).toEqual([
        'sent',
        'delivered',
      ]);
  });

  it('delivers a recipient’s sent before its final event when the final was made at once, on a clock behind', async () => {
    const clock = manualClock(Date.now());
    const rx = await receiver();
    const g = await gatewayOn(open, { clock, carrier: { deliveryDelayMs: 1000 } });
    const phones = Array.from({ length: 10 }, (_, i) => phone(i));
    await send(g, { recipients: phones, webhook_url: rx.url });
    await g.mifumo.dispatchDue();
    clock.advance(-5000); // the receipts land on a clock 5 s behind the one that marked them sent
    await g.settle();
    const stored = await events(g);
    for (const e of stored.filter((x) => x.event === 'delivered'))
      expect(Date.parse(e.next_attempt_at)).toBeLessThan(
        Date.parse(
          stored.find((x) => x.recipient_id === e.recipient_id && x.event === 'sent')!.next_attempt_at,
        ),
      );
    clock.advance(5000);
    expect(await g.mifumo.deliverWebhooksDue()).toBe(20);
    for (const p of phones)
      expect(rx.received.filter((r) => r.json.recipients[0].phone === p).map((r) => r.json.status)).toEqual([
        'sent',
        'delivered',
      ]);
  });

  it('delivers another account’s events while one account’s receiver holds every attempt it gets: at most one of its attempts late', async () => {
    const clock = manualClock(Date.now());
    const slowGate = gate();
    const slow = await receiver(async () => {
      await slowGate.pass();
      return undefined;
    });
    const fast = await receiver();
    const g = await gatewayOn(open, {
      clock,
      config: { webhooks: { maxInFlightPerHost: 4, timeoutMs: 60_000, claimTimeoutMs: 120_000 } },
    });
    for (let i = 0; i < 100; i++)
      await send(g, { recipients: [phone(2 * i), phone(2 * i + 1)], webhook_url: slow.url });
    clock.advance(1000);
    const other = await g.newAccount();
    await send(g, { recipients: ['+255754999001'], webhook_url: fast.url }, other.key);
    await g.dispatchAndSettle();
    const run = g.mifumo.deliverWebhooksDue();
    try {
      // The other account's events go out while 400 slow ones wait and 4 are held.
      await vi.waitFor(() => expect(fast.received).toHaveLength(2), { timeout: 10_000, interval: 5 });
      await vi.waitFor(() => expect(slowGate.holding).toBe(4), { timeout: 10_000, interval: 5 });
      expect(slow.received).toHaveLength(0);
      // A new event of the other account, made while every slow attempt is held, goes out once each
      // of those has ended (one attempt's time), while the slow receiver's next ones are held.
      await send(g, { recipients: ['+255754999002'], webhook_url: fast.url }, other.key);
      await g.dispatchAndSettle();
      for (let i = 0; i < 4; i++) slowGate.releaseOne();
      await vi.waitFor(() => expect(fast.received).toHaveLength(4), { timeout: 10_000, interval: 5 });
      expect(slow.received).toHaveLength(4);
    } finally {
      slowGate.open();
      await run.catch(() => {});
    }
    expect(await run).toBe(404);
    expect(slowGate.most).toBe(4);
    expect(slow.received).toHaveLength(400);
    expect(fast.received.map((r) => r.json.status)).toEqual(['sent', 'delivered', 'sent', 'delivered']);
  }, 60_000);
});
