import {
  type CompiledQuery,
  type Expression,
  type ExpressionBuilder,
  type Selectable,
  type SqlBool,
  sql,
} from 'kysely';
import { type Clock, iso } from '../clock';
import type { MifumoConfig } from '../config';
import { webhookUrlProblem } from '../domain/webhook-url';
import { randomToken } from '../ids';
import type { Logger } from '../logger';
import { toMajor } from '../money';
import type { Database, StatusEventName, WebhookEventsTable } from '../storage/schema';
import type { Store } from '../storage/store';
import { queryTemplate } from '../storage/template';
import { retryDelay } from './backoff';
import type { Sealer } from './sealer';
import type { WebhookSettings } from './settings';
import { signatureHeader } from './signature';
import type { WebhookResponse, WebhookTransport } from './transport';

type Events = ExpressionBuilder<Database, 'webhook_events'>;

/** The seed's payload: one recipient's status change, with the message's sender ID and that recipient's cost. */
export interface WebhookPayload {
  message_id: string;
  status: StatusEventName;
  recipients: { phone: string; status: StatusEventName; delivery_time: string }[];
  metadata: { sender_id: string; cost: number; currency: string };
}

/** A `message.received` event's payload: a message a subscriber sent to one of the account's numbers. */
export interface ReceivedPayload {
  event: 'message.received';
  inbound_id: string;
  from: string;
  to: string;
  text: string;
  /** The number's keyword it matched; null when the number has none. */
  keyword: string | null;
  received_at: string;
  /** The account's latest message to `from` within 7 days before; null: none. */
  in_reply_to: string | null;
}

type Claimed = Pick<
  Selectable<WebhookEventsTable>,
  | 'id'
  | 'account_id'
  | 'message_id'
  | 'recipient_id'
  | 'event'
  | 'occurred_at'
  | 'url'
  | 'attempts'
  | 'expires_at'
>;

/** What an attempt needs beyond the event: a status event's recipient, message and sending key, or an inbound message. */
type EventDetails = StatusDetails | InboundDetails;

interface InboundDetails {
  kind: 'received';
  sender: string;
  recipient: string;
  body: string;
  keyword: string | null;
  received_at: string;
  in_reply_to: string | null;
}

interface StatusDetails {
  kind: 'status';
  phone: string;
  cost: number | string;
  sender_id: string;
  currency: string;
  api_key_id: string | null;
  sealed_key: string | null;
  /** The key's end (its expiry, or a rotation's grace); from then on it is not sent. */
  key_expires_at: string | null;
}

type SecretsOf = (accountId: string) => ReturnType<WebhookSettings['forDelivery']>;

interface Outcome {
  status: 'pending' | 'succeeded' | 'failed';
  httpStatus: number | null;
  error: string | null;
  next?: number;
}

const CLAIMED_COLUMNS = [
  'id',
  'account_id',
  'message_id',
  'recipient_id',
  'event',
  'occurred_at',
  'url',
  'attempts',
  'expires_at',
] as const;

/** A receiver's answer as the delivery records it. */
function describe(response: Extract<WebhookResponse, { status: number }>): string {
  if (response.status >= 300 && response.status < 400)
    return `HTTP ${response.status}: redirect${response.location ? ` to ${response.location}` : ''} not followed`;
  const snippet = response.body.replace(/\s+/g, ' ').trim().slice(0, 200);
  return `HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`;
}

/** A due event that heads its recipient, with where it goes (null: nowhere; it fails without a call). */
interface Candidate {
  id: string;
  account_id: string;
  target: string | null;
  next_attempt_at: string;
}

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
  const { store, clock, config, sealer, settings, transport, log } = deps;
  const { db } = store;
  const random = deps.random ?? Math.random;

  /** Pending and due (an attempt whose worker died is made pending again by `releaseExpired`). */
  const claimable = (now: string) => (eb: Events) =>
    eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]);

  /** Attempts claimed longer than `claimTimeoutMs` ago are a dead worker's: pending again, due at once. */
  async function releaseExpired() {
    await db
      .updateTable('webhook_events')
      .set({ status: 'pending', claim_token: null, claim_expires_at: null })
      .where('status', '=', 'in_progress')
      .where('claim_expires_at', '<', iso(clock.now()))
      .execute();
  }

  /**
   * Marks the events `ids` selects as being attempted by `p.token`, each only if still claimable: the
   * guard is re-checked on the row (a concurrent claimer cannot take it twice), written as a CASE so
   * SQLite looks the rows up by id rather than scanning the status index.
   */
  const claimUpdate = (
    // biome-ignore lint/suspicious/noExplicitAny: placeholders stand in for column values
    p: Record<'token' | 'expires' | 'at', any>,
    ids: (eb: Events) => Expression<SqlBool>,
  ) =>
    db
      .updateTable('webhook_events')
      .set({
        status: 'in_progress',
        claim_token: p.token,
        claim_expires_at: p.expires,
        attempts: sql`attempts + 1`,
        updated_at: p.at,
      })
      .where(ids)
      .where((eb) => eb(eb.case().when(claimable(p.at)(eb)).then(1).else(0).end(), '=', 1))
      .returning(CLAIMED_COLUMNS);

  /** No earlier event (by `sort_key`, then id) of the recipient of the event `t` is still to be delivered. */
  const headsItsRecipient = (t: 'webhook_events' | 'x') => {
    const [recipient, sortKey, id] = ['recipient_id', 'sort_key', 'id'].map((c) => sql.ref(`${t}.${c}`));
    return sql<SqlBool>`not exists (
      select 1 from webhook_events e
      where e.recipient_id = ${recipient} and e.status in ('pending', 'in_progress')
        and (e.sort_key, e.id) < (${sortKey}, ${id}))`;
  };

  /** Due events that head their recipient, with their target (the send's URL, else the account's). */
  const dueHeads = (at: string) =>
    db
      .selectFrom('webhook_events')
      .leftJoin('webhook_settings as s', 's.account_id', 'webhook_events.account_id')
      .select((eb) => [
        'webhook_events.id',
        'webhook_events.account_id',
        'webhook_events.next_attempt_at',
        eb.fn.coalesce('webhook_events.url', 's.url').as('target'),
      ])
      .where('webhook_events.status', '=', 'pending')
      .where('webhook_events.next_attempt_at', '<=', at)
      .where(headsItsRecipient('webhook_events'));

  /** The `batchSize` oldest due heads, whoever's. */
  const oldestQuery = queryTemplate(['at'], (p) =>
    dueHeads(p.at).orderBy('webhook_events.next_attempt_at').limit(config.batchSize),
  );

  /**
   * The oldest due head of every account with events waiting: the accounts are walked one index seek
   * at a time (a recursive query), so the cost grows with the accounts waiting, not with their events.
   */
  const firstOfEachQuery = queryTemplate(['at'], (p) =>
    db
      .withRecursive('waiting(account_id)', (qb) =>
        qb
          .selectNoFrom((eb) =>
            eb
              .selectFrom('webhook_events')
              .select((m) => m.fn.min('account_id').as('first'))
              .where('status', '=', 'pending')
              .as('account_id'),
          )
          .unionAll((union) =>
            union
              .selectFrom('waiting')
              .select((eb) =>
                eb
                  .selectFrom('webhook_events as w')
                  .select((m) => m.fn.min('w.account_id').as('next'))
                  .where('w.status', '=', 'pending')
                  .whereRef('w.account_id', '>', 'waiting.account_id')
                  .as('account_id'),
              )
              .where('waiting.account_id', 'is not', null),
          ),
      )
      .selectFrom(() => dueHeads(p.at).as('heads'))
      .selectAll('heads')
      .where('heads.id', 'in', (eb) =>
        eb
          .selectFrom('waiting')
          .select((w) =>
            w
              .selectFrom('webhook_events as x')
              .select('x.id')
              .whereRef('x.account_id', '=', 'waiting.account_id')
              .where('x.status', '=', 'pending')
              .where('x.next_attempt_at', '<=', p.at)
              .where(headsItsRecipient('x'))
              .orderBy('x.next_attempt_at')
              .limit(1)
              .as('id'),
          ),
      ),
  );

  /** The next event of a recipient, when it is due (a chain goes on with it). */
  const nextQuery = queryTemplate(['token', 'expires', 'at', 'recipientId'], (p) =>
    claimUpdate(p, (eb) =>
      eb(
        'id',
        '=',
        db
          .selectFrom('webhook_events')
          .select('id')
          .where('recipient_id', '=', p.recipientId)
          .where('status', 'in', ['pending', 'in_progress'])
          .orderBy('sort_key')
          .orderBy('id')
          .limit(1),
      ),
    ),
  );

  /** Ends an attempt, only while its worker's claim holds. */
  const finishQuery = queryTemplate(
    ['id', 'token', 'status', 'httpStatus', 'error', 'next', 'deliveredAt', 'at'],
    (p) =>
      db
        .updateTable('webhook_events')
        .set({
          status: p.status,
          claim_token: null,
          claim_expires_at: null,
          last_http_status: p.httpStatus,
          last_error: p.error,
          next_attempt_at: p.next,
          delivered_at: p.deliveredAt,
          updated_at: p.at,
        })
        .where('id', '=', p.id)
        .where('claim_token', '=', p.token),
  );

  /**
   * Runs a claim, in an atomic batch: on SQLite, the claims and ends of concurrent workers in one
   * event-loop turn share one commit.
   */
  async function claim(
    query: (values: Record<string, unknown>) => CompiledQuery,
    values: Record<string, unknown>,
  ) {
    const now = clock.now();
    const [result] = await store.atomic([
      query({ ...values, expires: iso(now + config.claimTimeoutMs), at: iso(now) }),
    ]);
    return (result?.rows ?? []) as Claimed[];
  }

  const claimIds = (token: string, ids: readonly string[]) =>
    claim((values) => claimUpdate(values, (eb) => eb('id', 'in', ids)).compile(), { token });
  const claimNext = (token: string, recipientId: string) => claim(nextQuery, { token, recipientId });

  /** Due heads to choose from: every waiting account's oldest, and the oldest of all. */
  async function candidates(): Promise<Candidate[]> {
    const at = iso(clock.now());
    const [firsts, oldest] = await Promise.all([
      db.executeQuery(firstOfEachQuery({ at })),
      db.executeQuery(oldestQuery({ at })),
    ]);
    return [...firsts.rows, ...oldest.rows] as Candidate[];
  }

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

  async function finish(e: Claimed, token: string, outcome: Outcome) {
    const now = iso(clock.now());
    await store.atomic([
      finishQuery({
        id: e.id,
        token,
        status: outcome.status,
        httpStatus: outcome.httpStatus,
        error: outcome.error,
        next: outcome.next === undefined ? now : iso(outcome.next),
        deliveredAt: outcome.status === 'succeeded' ? now : null,
        at: now,
      }),
    ]);
  }

  /** Failed this time: again after the backoff, or given up when that would be past the event's window. */
  function retryOrGiveUp(e: Claimed, httpStatus: number | null, error: string): Outcome {
    const next = clock.now() + retryDelay(Number(e.attempts), config, random());
    if (next > Date.parse(e.expires_at))
      return { status: 'failed', httpStatus, error: `${error} (gave up after ${e.attempts} attempts)` };
    return { status: 'pending', httpStatus, error, next };
  }

  /** What the attempts of the events `events` need (recipient, message, sealed key; or the inbound message), in a query per kind. */
  async function load(events: readonly Claimed[]): Promise<Map<string, EventDetails>> {
    const received = events.filter((e) => e.event === 'received').map((e) => e.id);
    const status = events.filter((e) => e.event !== 'received').map((e) => e.id);
    const [statusRows, inboundRows] = await Promise.all([
      status.length === 0
        ? []
        : db
            .selectFrom('webhook_events as e')
            .innerJoin('recipients as r', 'r.id', 'e.recipient_id')
            .innerJoin('messages as m', 'm.id', 'e.message_id')
            .leftJoin('api_keys as k', 'k.id', 'm.api_key_id')
            .select([
              'e.id',
              'r.phone',
              'r.cost',
              'm.sender_id',
              'm.currency',
              'm.api_key_id',
              'k.sealed_key',
              'k.expires_at as key_expires_at',
            ])
            .where('e.id', 'in', status)
            .execute(),
      received.length === 0
        ? []
        : db
            .selectFrom('webhook_events as e')
            .innerJoin('inbound_messages as i', 'i.id', 'e.recipient_id')
            .select([
              'e.id',
              'i.sender',
              'i.recipient',
              'i.body',
              'i.keyword',
              'i.received_at',
              'i.in_reply_to',
            ])
            .where('e.id', 'in', received)
            .execute(),
    ]);
    return new Map<string, EventDetails>([
      ...statusRows.map((r) => [r.id, { kind: 'status' as const, ...r }] as const),
      ...inboundRows.map((r) => [r.id, { kind: 'received' as const, ...r }] as const),
    ]);
  }

  /** The body an event's receiver gets. */
  function payloadOf(e: Claimed, extra: EventDetails): WebhookPayload | ReceivedPayload {
    if (extra.kind === 'received')
      return {
        event: 'message.received',
        inbound_id: e.recipient_id,
        from: extra.sender,
        to: extra.recipient,
        text: extra.body,
        keyword: extra.keyword,
        received_at: extra.received_at,
        in_reply_to: extra.in_reply_to,
      };
    const status = e.event as StatusEventName;
    return {
      message_id: e.message_id,
      status,
      recipients: [{ phone: extra.phone, status, delivery_time: e.occurred_at }],
      metadata: { sender_id: extra.sender_id, cost: toMajor(Number(extra.cost)), currency: extra.currency },
    };
  }

  async function attempt(e: Claimed, extra: EventDetails, secretsOf: SecretsOf): Promise<Outcome> {
    const account = await secretsOf(e.account_id);
    const url = e.url ?? account.url;
    if (url === null)
      return {
        status: 'failed',
        httpStatus: null,
        error: 'No webhook URL: the send named none and the account has none',
      };
    const problem = webhookUrlProblem(url, config.allowPrivateNetworks);
    if (problem) return { status: 'failed', httpStatus: null, error: `Refused: ${problem}` };
    const body = JSON.stringify(payloadOf(e, extra));
    const timestamp = Math.floor(clock.now() / 1000);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'Mifumo-Webhooks/1',
      'X-Mifumo-Event-Id': e.id,
      'X-Mifumo-Timestamp': String(timestamp),
      'X-Mifumo-Signature': await signatureHeader(account.secrets, timestamp, body),
    };
    // A received message was sent by no key: its event carries the signature only.
    const keyLive =
      extra.kind === 'status' &&
      (extra.key_expires_at === null || Date.parse(extra.key_expires_at) > clock.now());
    if (keyLive && account.bearerAuth && extra.api_key_id !== null && extra.sealed_key !== null) {
      const key = await sealer.open(extra.sealed_key, extra.api_key_id);
      if (key === null)
        log.error(`the sealed API key ${extra.api_key_id} does not open with this server secret`);
      else headers.Authorization = `Bearer ${key}`;
    }
    let response: WebhookResponse;
    try {
      response = await transport({ url, headers, body, timeoutMs: config.timeoutMs });
    } catch (err) {
      const reason =
        err instanceof Error
          ? err.name === 'TimeoutError'
            ? `timed out after ${config.timeoutMs} ms`
            : err.message
          : String(err);
      return retryOrGiveUp(e, null, reason);
    }
    if ('refused' in response)
      return { status: 'failed', httpStatus: null, error: `Refused: ${response.refused}` };
    if (response.status >= 200 && response.status < 300)
      return { status: 'succeeded', httpStatus: response.status, error: null };
    if (response.status === 410)
      return {
        status: 'failed',
        httpStatus: 410,
        error: `${describe(response)} (the receiver asked to stop)`,
      };
    return retryOrGiveUp(e, response.status, describe(response));
  }

  /** Makes one attempt at a claimed event and records how it went; true when it was delivered. */
  async function deliver(e: Claimed, token: string, info: EventDetails | undefined, secretsOf: SecretsOf) {
    const outcome: Outcome = info
      ? await attempt(e, info, secretsOf).catch((err: unknown) => {
          log.error(`webhook ${e.id} failed`, err);
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
