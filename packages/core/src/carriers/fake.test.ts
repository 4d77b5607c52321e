import { expect, it } from 'vitest';
import { recordingContext } from '../testing';
import { CarrierError, type OutboundMessage } from './contract';
import { createFakeCarrier } from './fake';

const message: OutboundMessage = {
  id: 'rcp_1',
  messageId: 'msg_1',
  to: '+255754000111',
  from: 'MIFUMO',
  text: 'hi',
  encoding: 'GSM-7',
  parts: ['hi'],
  nationalLanguage: null,
};
const never = new AbortController().signal;

async function until(done: () => boolean) {
  for (let waited = 0; !done(); waited += 5) {
    if (waited > 5_000) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function started(options: Parameters<typeof createFakeCarrier>[0]) {
  const { ctx, reports } = recordingContext();
  const carrier = createFakeCarrier(options);
  carrier.start?.(ctx);
  return { carrier, reports };
}

it('accepts with its own distinct ids and reports delivery after the delay', async () => {
  const { carrier, reports } = started({ deliveryDelayMs: 20, keepSent: true });
  const a = await carrier.submit(message, never);
  const b = await carrier.submit(message, never);
  expect(a.carrierMessageIds).toHaveLength(1);
  expect(a.carrierMessageIds[0]).not.toBe(b.carrierMessageIds[0]);
  expect(reports).toEqual([]);
  await until(() => reports.length === 2);
  expect(reports.map((r) => r.carrierMessageId).sort()).toEqual(
    [...a.carrierMessageIds, ...b.carrierMessageIds].sort(),
  );
  expect(reports.every((r) => r.status === 'delivered')).toBe(true);
  expect(carrier.sent).toHaveLength(2);
  carrier.stop?.();
});

it('fails the configured share of messages, by the injected randomness', async () => {
  const rolls = [0.1, 0.9, 0.2, 0.8];
  const { carrier, reports } = started({
    deliveryDelayMs: 0,
    failureRate: 0.5,
    random: () => rolls.shift()!,
  });
  for (let i = 0; i < 4; i++) await carrier.submit(message, never);
  await until(() => reports.length === 4);
  expect(reports.map((r) => r.status)).toEqual(['failed', 'delivered', 'failed', 'delivered']);
  expect(reports[0]).toMatchObject({ errorCode: 'FAKE_UNDELIVERED' });
  carrier.stop?.();
});

it('a slow submit gives up with a retryable error when aborted; stop cancels pending reports', async () => {
  const { carrier, reports } = started({ submitDelayMs: 10_000, deliveryDelayMs: 0 });
  const controller = new AbortController();
  const pending = carrier.submit(message, controller.signal);
  controller.abort();
  await expect(pending).rejects.toMatchObject({ retryable: true });
  const quick = started({ deliveryDelayMs: 50 });
  await quick.carrier.submit(message, never);
  quick.carrier.stop?.();
  await new Promise((r) => setTimeout(r, 80));
  expect(quick.reports).toEqual([]);
  expect(reports).toEqual([]);
});

it('refuses to submit before start, retryably', async () => {
  const carrier = createFakeCarrier();
  await expect(carrier.submit(message, never)).rejects.toBeInstanceOf(CarrierError);
});

it('after a restart, reports what it had accepted before, page by page, when each is due', async () => {
  const now = Date.now();
  const pages = {
    first: { messages: [{ carrierMessageId: 'old-1', sentAt: now - 60_000 }], next: 'p2' },
    p2: { messages: [{ carrierMessageId: 'old-2', sentAt: now }], next: null },
  };
  const carrier = createFakeCarrier({ deliveryDelayMs: 100 });
  const { ctx, reports } = recordingContext({
    awaitingReports: async (next) => (next === 'p2' ? pages.p2 : pages.first),
  });
  await carrier.start?.(ctx);
  await until(() => reports.length === 1);
  expect(reports.map((r) => r.carrierMessageId)).toEqual(['old-1']); // long overdue: at once
  await until(() => reports.length === 2);
  expect(reports.map((r) => r.carrierMessageId)).toEqual(['old-1', 'old-2']);
  carrier.stop?.();
});

it('settles once every receipt it scheduled has been reported, and at once when stopped', async () => {
  const { carrier, reports } = started({ deliveryDelayMs: 50 });
  await carrier.submit(message, never);
  await carrier.submit(message, never);
  expect(reports).toHaveLength(0);
  await carrier.settled?.();
  expect(reports).toHaveLength(2);
  await carrier.submit(message, never);
  const settling = carrier.settled?.();
  carrier.stop?.();
  await settling;
  expect(reports).toHaveLength(2);
});
