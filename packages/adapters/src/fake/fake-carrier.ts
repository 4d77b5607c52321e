import { type CarrierAdapter, type CarrierContext, CarrierError, type OutboundMessage } from '@mifumo/core';

export interface FakeCarrierOptions {
  id?: string;
  /** Time from accepting a message to reporting it delivered (or failed). */
  deliveryDelayMs?: number;
  /** Share of accepted messages later reported failed, 0..1. */
  failureRate?: number;
  /** Time a submit takes, like a network round trip. */
  submitDelayMs?: number;
  /** Injected randomness, for repeatable tests. */
  random?: () => number;
  /** Keep every accepted message in `sent` (tests); off by default so a long run does not grow. */
  keepSent?: boolean;
}

/**
 * A carrier for development and tests: accepts every message, answers with its own ids and reports
 * delivery through the adapter's report callback after `deliveryDelayMs`, failing `failureRate` of them.
 */
export function createFakeCarrier(
  options: FakeCarrierOptions = {},
): CarrierAdapter & { readonly sent: OutboundMessage[] } {
  const {
    id = 'fake',
    deliveryDelayMs = 200,
    failureRate = 0,
    submitDelayMs = 0,
    random = Math.random,
    keepSent = false,
  } = options;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const sent: OutboundMessage[] = [];
  let ctx: CarrierContext | null = null;
  let counter = 0;

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  return {
    id,
    type: 'fake',
    sent,
    start(context) {
      ctx = context;
    },
    async submit(message, signal) {
      if (!ctx) throw new CarrierError('fake carrier not started', { retryable: true });
      const report = ctx.report;
      if (submitDelayMs > 0)
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(resolve, submitDelayMs);
          signal.addEventListener('abort', () => {
            clearTimeout(t);
            reject(new CarrierError('submit timed out', { retryable: true }));
          });
        });
      const carrierMessageId = `fake-${Date.now().toString(36)}-${(++counter).toString(36)}`;
      if (keepSent) sent.push(message);
      const failed = random() < failureRate;
      later(deliveryDelayMs, () => {
        void report({
          carrierMessageId,
          status: failed ? 'failed' : 'delivered',
          at: Date.now(),
          ...(failed
            ? { errorCode: 'FAKE_UNDELIVERED', errorMessage: 'The fake carrier chose to fail it' }
            : {}),
        });
      });
      return { carrierMessageIds: [carrierMessageId] };
    },
    stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      ctx = null;
    },
  };
}
