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

/** Events of one message delivered one after another in one `deliverDue` before others get a turn. */
const MAX_CHAIN = 200;

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

/**
 * Delivers the webhook outbox. Each event is claimed (a guarded UPDATE, as the dispatcher claims
 * recipients) by one worker at a time, and only when no earlier event of its message (by `sort_key`,
 * then id) is still waiting: a message's events arrive in order, a recipient's `sent` always before
 * its final status. A 2xx ends an
 * event; a 410 or a refused target gives it up at once; anything else is retried with growing, jittered
 * delays until the event's retry window (`retryForMs`) closes.
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

  /** Up to `batchSize` due events that head their message: no earlier event of it is still to be delivered. */
  const headsQuery = queryTemplate(['token', 'expires', 'at'], (p) =>
    claimUpdate(p, (eb) =>
      eb(
        'id',
        'in',
        db
          .selectFrom('webhook_events')
          .select('id')
          .where(claimable(p.at))
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('webhook_events as e')
                  .select('e.id')
                  .whereRef('e.message_id', '=', 'webhook_events.message_id')
                  .where('e.status', 'in', ['pending', 'in_progress'])
                  .where((w) =>
                    w(
                      w.refTuple('e.sort_key', 'e.id'),
                      '<',
                      w.refTuple('webhook_events.sort_key', 'webhook_events.id'),
                    ),
                  ),
              ),
            ),
          )
          .orderBy('next_attempt_at')
          .limit(config.batchSize),
      ),
    ),
  );

  /** The next event of a message, when it is due (a chain goes on with it). */
  const nextQuery = queryTemplate(['token', 'expires', 'at', 'messageId'], (p) =>
    claimUpdate(p, (eb) =>
      eb(
        'id',
        '=',
        db
          .selectFrom('webhook_events')
          .select('id')
          .where('message_id', '=', p.messageId)
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

  const claimHeads = (token: string) => claim(headsQuery, { token });
  const claimNext = (token: string, messageId: string) => claim(nextQuery, { token, messageId });

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

  /**
   * What the attempts need (recipient, message, sealed key), in one query: of the claimed events
   * `ids`, or of the next events waiting in `messageId` (read ahead for its chain).
   */
  async function load(
    of: { ids: readonly string[] } | { messageId: string },
  ): Promise<Map<string, EventDetails>> {
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
      .$if('ids' in of, (q) => q.where('e.id', 'in', 'ids' in of ? of.ids : []))
      .$if('messageId' in of, (q) =>
        q
          .where('e.message_id', '=', 'messageId' in of ? of.messageId : '')
          .where('e.status', 'in', ['pending', 'in_progress'])
          .orderBy('e.sort_key')
          .orderBy('e.id')
          .limit(MAX_CHAIN),
      )
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

  /** Delivers `first`, then the events of its message that come due behind it, one at a time. */
  async function chain(
    first: Claimed,
    token: string,
    loaded: Map<string, EventDetails>,
    secretsOf: SecretsOf,
  ) {
    let e: Claimed | undefined = first;
    let details = loaded;
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
      if (outcome.status !== 'succeeded' || delivered >= MAX_CHAIN) return delivered;
      [e] = await claimNext(token, e.message_id);
      if (e && !details.has(e.id)) details = await load({ messageId: e.message_id });
    }
    return delivered;
  }

  return {
    /**
     * Delivers the webhook events that are due (new ones, retries whose time has come, claims of dead
     * workers) with `batchSize` workers, each taking the next message's head as soon as it is done with
     * one, until none is due or about `budget` attempts are made; returns how many were made. The
     * runtime calls it in its loop (Node) or scheduled handler (Workers).
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
      // Heads are claimed a batch at a time into a queue that every worker takes from, so one slow
      // receiver does not hold up the rest and the claim query runs once per batch, not per event.
      const queue = await claimHeads(token);
      if (queue.length === 0) return 0;
      const details = await load({ ids: queue.map((e) => e.id) });
      let made = 0;
      let claimed = queue.length;
      let drained = queue.length < config.batchSize;
      let refilling: Promise<void> | null = null;
      const refill = () => {
        refilling ??= (async () => {
          const more = await claimHeads(token);
          claimed += more.length;
          if (more.length < config.batchSize) drained = true;
          for (const [id, d] of await load({ ids: more.map((e) => e.id) })) details.set(id, d);
          queue.push(...more);
        })().finally(() => {
          refilling = null;
        });
        return refilling;
      };
      const worker = async () => {
        for (;;) {
          if (queue.length === 0) {
            if (drained || claimed >= budget) return;
            await refill();
            continue;
          }
          made += await chain(queue.shift()!, token, details, secretsOf);
        }
      };
      await Promise.all(Array.from({ length: config.batchSize }, worker));
      return made;
    },
  };
}

export type WebhookDelivery = ReturnType<typeof createWebhookDelivery>;
