import { type CarrierAdapter, CarrierError, type OutboundMessage } from '../carriers/contract';
import type { Clock } from '../clock';
import type { MifumoConfig } from '../config';
import { formatDuration } from '../domain/duration';
import { carriersFor, preferCarrier } from '../domain/routing';
import { suppressesOptOuts } from '../domain/traffic-class';
import { randomToken } from '../ids';
import type { Logger } from '../logger';
import { HELD_RECHECK_MS, type PromotionalWindow } from '../services/compliance';
import type { Store } from '../storage/store';
import { carrierForAttempt, judgeSubmitError } from './attempt';
import { createBreakers } from './breaker';
import { createCarrierStates } from './carrier-states';
import type { Claimed, ClaimedMessage } from './claims';
import { createFleetState } from './fleet-state';
import { outboundMessages } from './outbound';
import { createPacer } from './pacer';
import type { OptedOutByCarrier, Reports } from './reports';
import type { DeliveryError } from './transition-step';
import type { Transitions } from './transitions';

/** Why a recipient whose number opted out after its message was accepted is failed (and refunded) unsent. */
const OPTED_OUT = {
  code: 'OPTED_OUT',
  message: 'The number opted out after the message was accepted; it was not sent and its cost was refunded',
};

/** A paced submit waits at most this long for its slot; one further off is put back until then. */
const MAX_PACE_WAIT_MS = 1000;
/** Recipients `sent` too long without a receipt are looked for at most this often, this many at a time. */
const EXPIRY_SWEEP_EVERY_MS = 5000;
const EXPIRY_BATCH = 50;
const EXPIRY_BATCHES = 10;

/** How many submits a message goes out as at its carrier: one per part where parts travel apart. */
const submitsAt = (carrier: CarrierAdapter, message: OutboundMessage) => {
  const mode = carrier.capabilities?.longMessages;
  return mode === 'udh' || mode === 'sar' ? message.parts.length : 1;
};

/**
 * Moves due recipients from the outbox to their carriers. Each claim is one guarded UPDATE, so several
 * dispatchers (processes, isolates) never take the same row; a claim left by a dead dispatcher expires
 * and is taken again, so nothing accepted is lost.
 */
export function createDispatcher(deps: {
  store: Store;
  clock: Clock;
  config: MifumoConfig;
  carriers: ReadonlyMap<string, CarrierAdapter>;
  transitions: Transitions;
  reports: Reports;
  log: Logger;
  /** Adds a number to an account's opt-outs when a carrier says the subscriber blocks the sender. */
  optedOut?: OptedOutByCarrier;
  /** Which (account, number) pairs are opted out now, as `${accountId} ${phone}` keys, with when they were. */
  suppressedPairs?: (
    pairs: readonly { accountId: string; phone: string }[],
  ) => Promise<ReadonlyMap<string, string>>;
  /** When an account's promotional messages may go (quiet hours, pauses). */
  promotionalWindow?: (accountId: string, now: number) => Promise<PromotionalWindow>;
}) {
  const { clock, config, carriers, transitions, reports, log } = deps;
  const { batchSize, claimTimeoutMs, maxAttempts } = config.dispatch;
  const carrierIds = [...carriers.keys()];
  const fleet = createFleetState(deps.store);
  const breakers = createBreakers(
    clock,
    { failures: config.dispatch.breakerFailures, cooldownMs: config.dispatch.breakerCooldownMs },
    fleet,
  );
  const states = createCarrierStates({ carriers, breakers, clock, log });
  const usable = (id: string) => states.linkUp(id) && breakers.allows(id);
  const pacer = createPacer({
    rates: new Map(
      [...carriers.values()].flatMap((c) => {
        const rate = c.capabilities?.submitsPerSecond;
        return rate === undefined ? [] : [[c.id, rate] as const];
      }),
    ),
    maxWaitMs: MAX_PACE_WAIT_MS,
    clock,
    claim: fleet.claim,
  });
  /**
   * The carriers on a recipient's route that can carry its message at all (UCS-2 needs `ucs2`), a
   * reply's inbound carrier (`preferred`) first when it is one of them.
   */
  const capableRoute = (r: Claimed, message: OutboundMessage, preferred: string | null) =>
    preferCarrier(carriersFor(r.phone, r.operator, config.routes, carrierIds), preferred).filter(
      (id) => message.encoding !== 'UCS-2' || carriers.get(id)?.capabilities?.ucs2 !== false,
    );

  /** Past its message's validity period at `at`. */
  const pastValidity = (message: OutboundMessage, at: number) =>
    message.validUntil !== undefined && at >= message.validUntil;
  const validityEnded = (r: Claimed, token: string, message: OutboundMessage) =>
    transitions.expired(
      r,
      token,
      {
        code: 'VALIDITY_EXPIRED',
        message: `Its validity period ended at ${new Date(message.validUntil!).toISOString()} before a carrier took it`,
      },
      clock.now(),
    );
  /** Tried again at `at`, unless its validity has ended by then. */
  const retryAt = (r: Claimed, token: string, message: OutboundMessage, at: number, error: DeliveryError) =>
    pastValidity(message, at)
      ? validityEnded(r, token, message)
      : transitions.retry(r, token, at, error, clock.now());

  /** Put back until `at` without counting an attempt (quiet hours, a pause), unless its validity ends by then. */
  const putOff = (r: Claimed, token: string, message: OutboundMessage, at: number) =>
    pastValidity(message, at)
      ? validityEnded(r, token, message)
      : transitions.defer(r, token, at, clock.now());

  let lastExpirySweep = Number.NEGATIVE_INFINITY;
  /** Recipients `sent` longer than `delivery.receiptTimeoutMs` without a final receipt become `expired`. */
  async function expireUnreported() {
    const now = clock.now();
    if (now - lastExpirySweep < EXPIRY_SWEEP_EVERY_MS) return;
    lastExpirySweep = now;
    const timeout = config.delivery.receiptTimeoutMs;
    const error = {
      code: 'RECEIPT_TIMEOUT',
      message: `No final delivery report within ${formatDuration(timeout)} of the carrier taking it`,
    };
    for (let i = 0; i < EXPIRY_BATCHES; i++)
      if ((await transitions.expireUnreported(now - timeout, error, now, EXPIRY_BATCH)) < EXPIRY_BATCH) break;
  }

  /**
   * The ids of claimed recipients whose number opted out after their message was accepted (not for
   * `otp`): one query for the batch. A reply accepted after its number opted out was sent knowingly
   * (other sends to an opted-out number are refused): the gateway's answer to a keyword (STOP, HELP).
   */
  async function optedOutSince(claimed: readonly Claimed[], stored: readonly ClaimedMessage[]) {
    if (!deps.suppressedPairs) return new Set<string>();
    const messageOf = new Map(stored.map((m) => [m.id, m]));
    const suppressible = claimed.filter((r) =>
      suppressesOptOuts(messageOf.get(r.message_id)?.traffic_class ?? 'transactional'),
    );
    if (suppressible.length === 0) return new Set<string>();
    const out = await deps.suppressedPairs(
      suppressible.map((r) => ({ accountId: r.account_id, phone: r.phone })),
    );
    return new Set(
      suppressible
        .filter((r) => {
          const at = out.get(`${r.account_id} ${r.phone}`);
          const message = messageOf.get(r.message_id);
          return at !== undefined && !(message?.reply_to && at <= message.created_at);
        })
        .map((r) => r.id),
    );
  }

  /**
   * Claimed promotional recipients whose account may not send promotional messages now (quiet hours,
   * a pause), each with when to look again: one window per account for the batch.
   */
  async function promotionalWaits(claimed: readonly Claimed[], stored: readonly ClaimedMessage[]) {
    const waits = new Map<string, number>();
    if (!deps.promotionalWindow) return waits;
    const promotional = new Set(stored.filter((m) => m.traffic_class === 'promotional').map((m) => m.id));
    const ofClass = claimed.filter((r) => promotional.has(r.message_id));
    if (ofClass.length === 0) return waits;
    const now = clock.now();
    const accounts = [...new Set(ofClass.map((r) => r.account_id))];
    const windows = await Promise.all(accounts.map((a) => deps.promotionalWindow!(a, now)));
    const nextOf = new Map(
      accounts.map((a, i) => {
        const w = windows[i]!;
        return [a, w.held ? now + HELD_RECHECK_MS : w.deferUntil];
      }),
    );
    for (const r of ofClass) {
      const next = nextOf.get(r.account_id);
      if (next != null) waits.set(r.id, next);
    }
    return waits;
  }

  /**
   * A batch's submits share one deadline (`signal`); `cutOff` holds the carriers whose submits it has cut
   * off so far. They end together, on one stall (a busy process, a slow moment): one failure for the
   * breaker, not one per submit in flight, which opened it at once on a loaded machine.
   */
  async function deliver(
    r: Claimed,
    token: string,
    message: OutboundMessage,
    preferred: string | null,
    signal: AbortSignal,
    cutOff: Set<string>,
  ) {
    if (pastValidity(message, clock.now())) return validityEnded(r, token, message);
    const route = capableRoute(r, message, preferred);
    const plan = carrierForAttempt(route, r.attempts, maxAttempts, usable, states.describe);
    if ('fail' in plan) return transitions.failed(r, token, plan.fail, clock.now());
    if ('none' in plan) {
      if (r.attempts >= maxAttempts) return transitions.failed(r, token, plan.none, clock.now());
      const wait = config.dispatch.retryBaseMs * 2 ** (r.attempts - 1);
      return retryAt(r, token, message, clock.now() + wait, plan.none);
    }
    const carrier = carriers.get(plan.carrierId)!; // createMifumo checks every routed carrier has an adapter
    const turn = await pacer.turn(carrier.id, submitsAt(carrier, message));
    if (turn !== 'now') {
      breakers.unused(carrier.id);
      return putOff(r, token, message, turn.deferUntil);
    }
    let refs: string[];
    states.submitting(carrier.id);
    try {
      refs = (await carrier.submit(message, signal)).carrierMessageIds;
    } catch (e) {
      if (e instanceof CarrierError && e.optedOut)
        await deps.optedOut?.(r.account_id, r.phone, `${carrier.id}: ${e.carrierCode ?? e.message}`);
      const verdict = judgeSubmitError(e, r.attempts, config.dispatch, clock.now());
      if (verdict.unexpected)
        log.error(`submit to ${carrier.id} threw`, e, { account_id: r.account_id, message_id: r.message_id });
      const error = { code: verdict.code, message: verdict.message };
      if (!verdict.carrierFault) {
        states.answered(carrier.id);
        await breakers.succeeded(carrier.id); // it answered: the refusal is the message's, not the carrier's
        return transitions.failed(r, token, error, clock.now());
      }
      states.answered(carrier.id, `${verdict.code}: ${verdict.message}`);
      const counted = !signal.aborted || !cutOff.has(carrier.id);
      if (signal.aborted) cutOff.add(carrier.id);
      if (counted) await breakers.failed(carrier.id);
      if (verdict.action === 'fail') return transitions.failed(r, token, error, clock.now());
      // The next carrier on the route is tried at once; the same one again only after the backoff.
      const failover = route.length > 1 && r.attempts % route.length !== 0;
      return retryAt(r, token, message, failover ? clock.now() : verdict.at, error);
    }
    states.answered(carrier.id);
    await breakers.succeeded(carrier.id);
    await transitions.sent(r, token, carrier.id, refs, clock.now());
    await reports.afterSent(carrier.id, refs);
  }

  async function dispatchBatch(messageId?: string): Promise<number> {
    const token = randomToken(16);
    const { recipients: claimed, messages: stored } = await transitions.claim(
      token,
      clock.now(),
      batchSize,
      claimTimeoutMs,
      messageId,
    );
    if (claimed.length === 0) return 0;
    await breakers.sync();
    const messages = outboundMessages(claimed, stored);
    const replyCarrier = new Map(stored.map((m) => [m.id, m.reply_carrier_id]));
    const [optedOut, waits] = await Promise.all([
      optedOutSince(claimed, stored),
      promotionalWaits(claimed, stored),
    ]);
    // Submits give up well before the claim expires, so no other dispatcher can take the same rows meanwhile.
    const signal = AbortSignal.timeout(claimTimeoutMs / 2);
    const cutOff = new Set<string>();
    await Promise.all(
      claimed.map((r, i) =>
        (optedOut.has(r.id)
          ? transitions.failed(r, token, OPTED_OUT, clock.now())
          : waits.has(r.id)
            ? putOff(r, token, messages[i]!, waits.get(r.id)!)
            : deliver(r, token, messages[i]!, replyCarrier.get(r.message_id) ?? null, signal, cutOff)
        ).catch((e) =>
          log.error(`dispatch of ${r.id} failed`, e, { account_id: r.account_id, message_id: r.message_id }),
        ),
      ),
    );
    return claimed.length;
  }

  return {
    /** Each carrier's circuit across the fleet (`open` while it is skipped after repeated failures). */
    async circuits() {
      await breakers.refresh();
      return breakers.status();
    },
    /**
     * Each carrier's state (its circuit across the fleet, its link in this process), submits in flight
     * and in the last minute, and last error, in this process.
     */
    async carriers() {
      await breakers.refresh();
      return states.list();
    },
    /**
     * Submits everything due now (of one message, with `messageId`: a queue consumer's share), batch
     * after batch, after applying delivery reports that were held for ids stored since; returns how
     * many recipients were taken.
     */
    async dispatchDue(options: { maxBatches?: number; messageId?: string } = {}): Promise<number> {
      const { maxBatches = 20, messageId } = options;
      states.watch();
      await reports.sweep();
      await expireUnreported();
      let total = 0;
      for (let i = 0; i < maxBatches; i++) {
        const n = await dispatchBatch(messageId);
        total += n;
        if (n < batchSize) break;
      }
      return total;
    },
  };
}
