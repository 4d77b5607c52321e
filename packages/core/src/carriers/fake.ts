import type { NationalLanguage } from '../encoding';
import {
  type CarrierAdapter,
  type CarrierContext,
  CarrierError,
  type InboundMessage,
  type OutboundMessage,
} from './contract';

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
  /** National single shift tables to declare support for. */
  nationalLanguages?: readonly NationalLanguage[];
  /**
   * Injected faults, asked on every submit: refuse it as a throttle (`retryable`) or a bad destination
   * (`permanent`), or `hold` it until the submit is aborted or the carrier stopped; null accepts it.
   */
  fault?: (message: OutboundMessage) => 'retryable' | 'permanent' | 'hold' | null;
}

/** One listener per signal however many submits share it: rejects when the signal aborts. */
const abortPromises = new WeakMap<AbortSignal, Promise<never>>();
function aborted(signal: AbortSignal, why: string): Promise<never> {
  let p = abortPromises.get(signal);
  if (!p) {
    p = new Promise<never>((_, reject) => {
      const fail = () => reject(new CarrierError(why, { retryable: true }));
      if (signal.aborted) fail();
      else signal.addEventListener('abort', fail, { once: true });
    });
    p.catch(() => {});
    abortPromises.set(signal, p);
  }
  return p;
}

/**
 * A carrier for development and tests: accepts every message, answers with its own ids and reports
 * delivery through the adapter's report callback after `deliveryDelayMs`, failing `failureRate` of them.
 */
export function createFakeCarrier(options: FakeCarrierOptions = {}): CarrierAdapter & {
  readonly sent: OutboundMessage[];
  receive(message: InboundMessage): Promise<'stored' | 'duplicate'>;
} {
  const {
    id = 'fake',
    deliveryDelayMs = 200,
    failureRate = 0,
    submitDelayMs = 0,
    random = Math.random,
    keepSent = false,
  } = options;
  const sent: OutboundMessage[] = [];
  let ctx: CarrierContext | null = null;
  /** Aborted by `stop`: submits in flight then give up (retryable) instead of reporting later. */
  let stopping = new AbortController();
  let counter = 0;

  /** Waits `ms` (forever when Infinity) unless the submit is aborted or the carrier stopped. */
  async function wait(ms: number, signal: AbortSignal) {
    let t: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        new Promise((resolve) => {
          if (Number.isFinite(ms)) t = setTimeout(resolve, ms);
        }),
        aborted(signal, 'submit timed out'),
        aborted(stopping.signal, 'fake carrier stopped'),
      ]);
    } finally {
      clearTimeout(t);
    }
  }

  /** Scheduled receipts, each with what ends its `settled` promise (it ran, or the carrier stopped). */
  const receipts = new Map<ReturnType<typeof setTimeout>, { done: () => void; finished: Promise<void> }>();

  /** Reports `carrierMessageId` delivered (or, `failureRate` of the time, failed) after `delayMs`. */
  function scheduleReport(report: CarrierContext['report'], carrierMessageId: string, delayMs: number) {
    const failed = random() < failureRate;
    let done = () => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const t = setTimeout(() => {
      receipts.delete(t);
      report({
        carrierMessageId,
        status: failed ? 'failed' : 'delivered',
        at: Date.now(),
        ...(failed
          ? { errorCode: 'FAKE_UNDELIVERED', errorMessage: 'The fake carrier chose to fail it' }
          : {}),
      })
        .catch(() => {})
        .finally(done);
    }, delayMs);
    receipts.set(t, { done, finished });
  }

  return {
    id,
    type: 'fake',
    capabilities: { nationalLanguages: options.nationalLanguages ?? [] },
    sent,
    /** A subscriber's message (MO) arriving through this carrier, as a real one passes it on. */
    async receive(message) {
      if (!ctx) throw new Error('fake carrier not started');
      return ctx.inbound(message);
    },
    /** Picks up the receipts of what it accepted before a restart: they are due `deliveryDelayMs` after the submit. */
    async start(context) {
      ctx = context;
      stopping = new AbortController();
      let next: string | null | undefined;
      do {
        const page = await context.awaitingReports(next);
        for (const m of page.messages)
          scheduleReport(
            context.report,
            m.carrierMessageId,
            Math.max(0, m.sentAt + deliveryDelayMs - Date.now()),
          );
        next = page.next;
      } while (next !== null);
    },
    async submit(message, signal) {
      if (!ctx) throw new CarrierError('fake carrier not started', { retryable: true });
      const report = ctx.report;
      const fault = options.fault?.(message) ?? null;
      if (fault === 'retryable')
        throw new CarrierError('throttled', { retryable: true, carrierCode: 'FAKE_THROTTLED' });
      if (fault === 'permanent')
        throw new CarrierError('bad destination', { retryable: false, carrierCode: 'FAKE_REJECTED' });
      if (fault === 'hold' || submitDelayMs > 0)
        await wait(fault === 'hold' ? Infinity : submitDelayMs, signal);
      const carrierMessageId = `fake-${Date.now().toString(36)}-${(++counter).toString(36)}`;
      if (keepSent) sent.push(message);
      scheduleReport(report, carrierMessageId, deliveryDelayMs);
      return { carrierMessageIds: [carrierMessageId] };
    },
    /** Resolves once every receipt scheduled so far has been reported (or the carrier stopped). */
    async settled() {
      await Promise.all([...receipts.values()].map((r) => r.finished));
    },
    stop() {
      stopping.abort();
      for (const [t, r] of receipts) {
        clearTimeout(t);
        r.done();
      }
      receipts.clear();
      ctx = null;
    },
  };
}
