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
import type { Database, WebhookEventsTable } from '../storage/schema';
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
  status: 'sent' | 'delivered' | 'failed';
  recipients: { phone: string; status: 'sent' | 'delivered' | 'failed'; delivery_time: string }[];
  metadata: { sender_id: string; cost: number; currency: string };
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

/** What an attempt needs beyond the event: its recipient, its message and the key that sent it. */
interface EventDetails {
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
 * recipients of one message go side by side. Claims take accounts in turns, and only events whose
 * receiver (host and port) has fewer than `maxInFlightPerHost` attempts in flight in this process, so a
 * slow receiver holds at most that many workers and another account's event waits for at most one of
 * its attempts. A 2xx ends an event; a 410 or a refused target gives it up at once; anything else is
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

  /** Attempts in flight, or claimed to start at once, to each receiver in this process. */
  const inFlight = new Map<string, number>();
  let attemptEnded = signal();

  /**
   * Up to `room` of `candidates` in turns across accounts, leaving out those whose receiver has no
   * slot free; takes their slots. Returns each chosen event's receiver.
   */
  function pick(candidates: Candidate[], room: number): Map<string, string | null> {
    const chosen = new Map<string, string | null>();
    for (const c of inTurns(candidates)) {
      if (chosen.size >= room) break;
      const receiver = receiverOf(c.target);
      if (receiver !== null) {
        const busy = inFlight.get(receiver) ?? 0;
        if (busy >= config.maxInFlightPerHost) continue;
        inFlight.set(receiver, busy + 1);
      }
      chosen.set(c.id, receiver);
    }
    return chosen;
  }

  function giveBack(receiver: string | null) {
    if (receiver === null) return;
    const busy = (inFlight.get(receiver) ?? 1) - 1;
    if (busy === 0) inFlight.delete(receiver);
    else inFlight.set(receiver, busy);
    ended();
  }

  /** Wakes the workers waiting for a receiver's slot: they look again at what is due. */
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

  /** What the attempts of the events `ids` need (recipient, message, sealed key), in one query. */
  async function load(ids: readonly string[]): Promise<Map<string, EventDetails>> {
    const rows = await db
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
      .where('e.id', 'in', ids)
      .execute();
    return new Map(rows.map((r) => [r.id, r]));
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
    const payload: WebhookPayload = {
      message_id: e.message_id,
      status: e.event,
      recipients: [{ phone: extra.phone, status: e.event, delivery_time: e.occurred_at }],
      metadata: { sender_id: extra.sender_id, cost: toMajor(Number(extra.cost)), currency: extra.currency },
    };
    const body = JSON.stringify(payload);
    const timestamp = Math.floor(clock.now() / 1000);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'Mifumo-Webhooks/1',
      'X-Mifumo-Event-Id': e.id,
      'X-Mifumo-Timestamp': String(timestamp),
      'X-Mifumo-Signature': await signatureHeader(account.secrets, timestamp, body),
    };
    const keyLive = extra.key_expires_at === null || Date.parse(extra.key_expires_at) > clock.now();
    if (account.bearerAuth && extra.api_key_id !== null && extra.sealed_key !== null && keyLive) {
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

  /** Delivers `first`, then the events of its recipient that come due behind it, one at a time. */
  async function chain(
    first: Claimed,
    token: string,
    details: Map<string, EventDetails>,
    secretsOf: SecretsOf,
  ) {
    let e: Claimed | undefined = first;
    let delivered = 0;
    while (e) {
      const info = details.get(e.id);
      const outcome: Outcome = info
        ? await attempt(e, info, secretsOf).catch((err: unknown) => {
            log.error(`webhook ${e!.id} failed`, err);
            return retryOrGiveUp(e!, null, err instanceof Error ? err.message : String(err));
          })
        : { status: 'failed', httpStatus: null, error: 'The message or recipient is gone' };
      await finish(e, token, outcome);
      delivered++;
      ended();
      if (outcome.status !== 'succeeded') return delivered;
      [e] = await claimNext(token, e.recipient_id);
      if (e && !details.has(e.id)) for (const [id, d] of await load([e.id])) details.set(id, d);
    }
    return delivered;
  }

  return {
    /**
     * Delivers the webhook events that are due (new ones, retries whose time has come, claims of dead
     * workers) with `batchSize` workers, each taking the next recipient's head as soon as it is done
     * with one, until none is due or about `budget` attempts are made; returns how many were made.
     * Workers with nothing they may start (every due event's receiver is at its cap) look again each
     * time an attempt in this process ends. The runtime calls it in its loop (Node) or scheduled
     * handler (Workers).
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
      // Events are claimed a batch at a time (as many as there are idle workers) into a queue that
      // every worker takes from, so the claim queries run once per batch, not per event.
      const queue: { event: Claimed; receiver: string | null }[] = [];
      const details = new Map<string, EventDetails>();
      let made = 0;
      let claimed = 0;
      let working = 0;
      let drained = false;
      let refilling: Promise<'some' | 'blocked' | 'none'> | null = null;
      const refill = async () => {
        const due = await candidates();
        if (due.length === 0) return 'none';
        const chosen = pick(due, Math.min(config.batchSize - working, budget - claimed));
        if (chosen.size === 0) return 'blocked';
        const won = await claimIds(token, [...chosen.keys()]);
        claimed += won.length;
        const ids = new Set(won.map((e) => e.id));
        for (const [id, receiver] of chosen) if (!ids.has(id)) giveBack(receiver);
        if (won.length > 0) for (const [id, d] of await load([...ids])) details.set(id, d);
        for (const event of won) queue.push({ event, receiver: chosen.get(event.id) ?? null });
        return 'some';
      };
      const worker = async () => {
        for (;;) {
          const next = queue.shift();
          if (next) {
            working++;
            try {
              const delivered = await chain(next.event, token, details, secretsOf);
              made += delivered; // not `made += await …`: that would read `made` before waiting
            } finally {
              working--;
              giveBack(next.receiver);
            }
            continue;
          }
          if (drained || claimed >= budget) return;
          const woken = attemptEnded.promise;
          refilling ??= refill().finally(() => {
            refilling = null;
          });
          const got = await refilling;
          if (got === 'none') drained = true;
          else if (got === 'blocked' && queue.length === 0) await woken;
        }
      };
      await Promise.all(Array.from({ length: config.batchSize }, worker));
      return made;
    },
  };
}

export type WebhookDelivery = ReturnType<typeof createWebhookDelivery>;
