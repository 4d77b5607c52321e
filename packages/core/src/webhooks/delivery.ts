import type { Clock } from '../clock';
import type { MifumoConfig } from '../config';
import { randomToken } from '../ids';
import type { Logger } from '../logger';
import type { Store } from '../storage/store';
import { createAttempt, type SecretsOf } from './attempt';
import { type Candidate, type Claimed, createEventClaims, type Outcome } from './claims';
import { type EventDetails, loadDetails } from './payloads';
import type { Sealer } from './sealer';
import type { WebhookSettings } from './settings';
import type { WebhookTransport } from './transport';

/** The receiver whose slots an attempt to `target` takes: its host and port; null for no valid URL. */
function receiverOf(target: string | null): string | null {
  if (target === null) return null;
  try {
    return new URL(target).host;
  } catch {
    return null;
  }
}

/**
 * Candidates in turns across accounts: each account's oldest first, then each one's second, and so on
 * (accounts in the order of their oldest), so no account's backlog stands before another's first event.
 */
function inTurns(candidates: Candidate[]): Candidate[] {
  const byAccount = new Map<string, Candidate[]>();
  const seen = new Set<string>();
  const key = (c: Candidate) => `${c.next_attempt_at} ${c.id}`;
  const oldestFirst = [...candidates].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  for (const c of oldestFirst) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    const mine = byAccount.get(c.account_id);
    if (mine) mine.push(c);
    else byAccount.set(c.account_id, [c]);
  }
  const turns: Candidate[] = [];
  const lists = [...byAccount.values()];
  for (let turn = 0; turns.length < seen.size; turn++)
    for (const list of lists) if (turn < list.length) turns.push(list[turn]!);
  return turns;
}

/** A promise with its resolve, made afresh each time it fires. */
function signal() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Delivers the webhook outbox. Each event is claimed (a guarded UPDATE, as the dispatcher claims
 * recipients) by one worker at a time, and only when no earlier event of its recipient (by `sort_key`,
 * then id) is still waiting: a recipient's `sent` always arrives before its final status, while the
 * recipients of one message go side by side. Claims take accounts in turns, and at most
 * `maxInFlightPerHost` attempts go to one receiver (host and port) at once in this process, so a slow
 * receiver holds at most that many workers and another account's event waits for about one of its
 * attempts at most. A 2xx ends an event; a 410 or a refused target gives it up at once; anything else is
 * retried with growing, jittered delays until the event's retry window (`retryForMs`) closes.
 */
export function createWebhookDelivery(deps: {
  store: Store;
  clock: Clock;
  config: MifumoConfig['webhooks'];
  sealer: Sealer;
  settings: WebhookSettings;
  transport: WebhookTransport;
  log: Logger;
  random?: () => number;
}) {
  const { store, config, settings, log } = deps;
  const { releaseExpired, claimIds, claimNext, candidates, finish } = createEventClaims(deps);
  const { attempt, retryOrGiveUp } = createAttempt(deps);
  const load = (events: readonly Claimed[]) => loadDetails(store.db, events);

  /** Attempts being made to each receiver in this process. */
  const inFlight = new Map<string, number>();
  /** Fires each time an attempt in this process ends. */
  let attemptEnded = signal();

  const busy = (receiver: string) => inFlight.get(receiver) ?? 0;
  const hasSlot = (receiver: string | null) =>
    receiver === null || busy(receiver) < config.maxInFlightPerHost;

  function occupy(receiver: string | null) {
    if (receiver !== null) inFlight.set(receiver, busy(receiver) + 1);
  }

  function release(receiver: string | null) {
    if (receiver !== null) {
      if (busy(receiver) <= 1) inFlight.delete(receiver);
      else inFlight.set(receiver, busy(receiver) - 1);
    }
    ended();
  }

  function ended() {
    const { resolve } = attemptEnded;
    attemptEnded = signal();
    resolve();
  }

  /** Makes one attempt at a claimed event and records how it went; true when it was delivered. */
  async function deliver(e: Claimed, token: string, info: EventDetails | undefined, secretsOf: SecretsOf) {
    const outcome: Outcome = info
      ? await attempt(e, info, secretsOf).catch((err: unknown) => {
          log.error(`webhook ${e.id} failed`, err, { account_id: e.account_id, message_id: e.message_id });
          return retryOrGiveUp(e, null, err instanceof Error ? err.message : String(err));
        })
      : { status: 'failed', httpStatus: null, error: 'The message, recipient or inbound message is gone' };
    await finish(e, token, outcome);
    return outcome.status === 'succeeded';
  }

  return {
    /**
     * Delivers the webhook events that are due (new ones, retries whose time has come, claims of dead
     * workers, and each recipient's next event once the one before it is done), at most `batchSize`
     * attempts at once, until none is due or about `budget` are claimed; returns how many attempts
     * were made. What is due is looked at again each time about half of the attempts under way have
     * ended: claims are made in batches, and an account's new event waits for at most about one
     * attempt's time of the receivers being called. The runtime calls it in its loop (Node) or
     * scheduled handler (Workers).
     */
    async deliverDue(budget = 10 * config.batchSize): Promise<number> {
      const secrets = new Map<string, ReturnType<WebhookSettings['forDelivery']>>();
      const secretsOf: SecretsOf = (accountId) => {
        let s = secrets.get(accountId);
        if (!s) {
          s = settings.forDelivery(accountId);
          secrets.set(accountId, s);
        }
        return s;
      };
      await releaseExpired();
      const token = randomToken(16);
      const cap = config.maxInFlightPerHost;
      // Claimed events wait here, by receiver, until it has a slot: up to `cap` beyond those under
      // way, so a slot that frees is taken at once, without a query.
      const waiting = new Map<string | null, Claimed[]>();
      const details = new Map<string, EventDetails>();
      let queued = 0;
      let running = 0;
      let made = 0;
      let claimed = 0;
      let ends = 0;

      /**
       * Delivers `first`, then its recipient's events that come due behind it, in the same slot, as
       * long as no other event waits for that receiver.
       */
      const chain = async (first: Claimed, receiver: string | null) => {
        let e: Claimed | undefined = first;
        while (e) {
          const delivered = await deliver(e, token, details.get(e.id), secretsOf);
          made++;
          ends++;
          ended();
          if (!delivered || waiting.has(receiver)) return;
          [e] = await claimNext(token, e.recipient_id);
          if (e && !details.has(e.id)) for (const [id, d] of await load([e])) details.set(id, d);
        }
      };

      const startWaiting = () => {
        for (const [receiver, events] of waiting) {
          while (events.length > 0 && running < config.batchSize && hasSlot(receiver)) {
            const e = events.shift()!;
            queued--;
            running++;
            occupy(receiver);
            chain(e, receiver)
              .catch((err: unknown) => log.error(`webhook ${e.id} was not recorded`, err))
              .finally(() => {
                running--;
                release(receiver);
                startWaiting();
              });
          }
          if (events.length === 0) waiting.delete(receiver);
        }
      };

      /** Claims due events in turns across accounts, each receiver up to twice its cap; returns what was due. */
      const claimDue = async () => {
        const due = await candidates();
        const held = new Map<string, number>();
        const chosen = new Map<string, string | null>();
        const room = Math.min(config.batchSize - queued, budget - claimed);
        for (const c of inTurns(due)) {
          if (chosen.size >= room) break;
          const receiver = receiverOf(c.target);
          if (receiver !== null) {
            const n = held.get(receiver) ?? busy(receiver) + (waiting.get(receiver)?.length ?? 0);
            if (n >= 2 * cap) continue;
            held.set(receiver, n + 1);
          }
          chosen.set(c.id, receiver);
        }
        if (chosen.size === 0) return { due, lost: false };
        const won = await claimIds(token, [...chosen.keys()]);
        claimed += won.length;
        if (won.length > 0) for (const [id, d] of await load(won)) details.set(id, d);
        for (const e of won) {
          const receiver = chosen.get(e.id) ?? null;
          const list = waiting.get(receiver);
          if (list) list.push(e);
          else waiting.set(receiver, [e]);
          queued++;
        }
        return { due, lost: won.length === 0 };
      };

      for (;;) {
        ends = 0;
        const woken = attemptEnded.promise;
        const { due, lost } = claimed < budget ? await claimDue() : { due: [], lost: false };
        startWaiting();
        if (lost) continue; // another process took them all: look again
        if (running === 0) {
          if (queued === 0 && due.length === 0) break;
          // Everything due waits for receivers other calls in this process are attempting.
          await woken;
          continue;
        }
        const enough = Math.ceil(Math.min(cap, running) / 2);
        while (running > 0 && ends < enough) await attemptEnded.promise;
      }
      return made;
    },
  };
}

export type WebhookDelivery = ReturnType<typeof createWebhookDelivery>;
