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
import type { Database, WebhookEventsTable } from '../storage/schema';
import type { Store } from '../storage/store';
import { queryTemplate } from '../storage/template';

type Events = ExpressionBuilder<Database, 'webhook_events'>;

/** An event claimed for an attempt. */
export type Claimed = Pick<
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

/** How an attempt ended, as it is recorded: delivered, to be retried at `next`, or given up. */
export interface Outcome {
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

/** A due event that heads its recipient, with where it goes (null: nowhere; it fails without a call). */
export interface Candidate {
  id: string;
  account_id: string;
  target: string | null;
  next_attempt_at: string;
}

/**
 * The outbox's claims: each event is claimed (a guarded UPDATE, as the dispatcher claims recipients)
 * by one worker at a time, and only when no earlier event of its recipient (by `sort_key`, then id) is
 * still waiting, so a recipient's `sent` always arrives before its final status; an attempt is ended
 * only while its worker's claim holds.
 */
export function createEventClaims(deps: { store: Store; clock: Clock; config: MifumoConfig['webhooks'] }) {
  const { store, clock, config } = deps;
  const { db } = store;

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

  /** Due heads to choose from: every waiting account's oldest, and the oldest of all. */
  async function candidates(): Promise<Candidate[]> {
    const at = iso(clock.now());
    const [firsts, oldest] = await Promise.all([
      db.executeQuery(firstOfEachQuery({ at })),
      db.executeQuery(oldestQuery({ at })),
    ]);
    return [...firsts.rows, ...oldest.rows] as Candidate[];
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

  return {
    releaseExpired,
    /** Claims the events `ids` for `token`, those still claimable. */
    claimIds: (token: string, ids: readonly string[]) =>
      claim((values) => claimUpdate(values, (eb) => eb('id', 'in', ids)).compile(), { token }),
    /** Claims the next event of the recipient `recipientId` for `token`, when it is due. */
    claimNext: (token: string, recipientId: string) => claim(nextQuery, { token, recipientId }),
    candidates,
    finish,
  };
}

export type EventClaims = ReturnType<typeof createEventClaims>;
