import { type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { iso } from '../clock';
import { newId } from '../ids';
import type {
  Database,
  MessagesTable,
  RecipientsTable,
  StatusEventName,
  WebhookEventsTable,
  WebhookSettingsTable,
} from '../storage/schema';
import type { Store } from '../storage/store';
import { queryTemplate } from '../storage/template';

/**
 * The statements that put a webhook event in the outbox, for a transition to run in its own atomic
 * step: `INSERT … SELECT` from the recipient, so the event exists exactly when the recipient is in that
 * status and has a webhook target (the send's `webhook_url` or the account's). Unique per recipient
 * and event, so a transition that lost its race, or a repeated report, adds nothing. A final event's
 * `sort_key` is placed after its recipient's `sent` event, whatever the clocks say.
 */
export function createOutbox(store: Store, retryForMs: number) {
  const { db } = store;
  const columns = [
    'id',
    'account_id',
    'message_id',
    'recipient_id',
    'event',
    'sort_key',
    'occurred_at',
    'url',
    'status',
    'next_attempt_at',
    'expires_at',
    'created_at',
    'updated_at',
  ] as const;

  type Recipients = SelectQueryBuilder<
    Database & { r: RecipientsTable; m: MessagesTable; s: WebhookSettingsTable; sent: WebhookEventsTable },
    'r' | 'm' | 's' | 'sent',
    object
  >;

  /**
   * `event` for the recipients `which` picks (those in that status, with a target): the one
   * `INSERT … SELECT` every event goes through. `id` is an expression (a parameter, or one made from
   * the recipient's id for many rows at once); the other values are bound.
   */
  const insertEvents = (
    event: StatusEventName,
    v: { id: RawBuilder<string>; sortKey: unknown; occurredAt: unknown; now: unknown; expires: unknown },
    which: (q: Recipients) => Recipients,
  ) =>
    db
      .insertInto('webhook_events')
      .columns(columns)
      .expression(
        which(
          db
            .selectFrom('recipients as r')
            .innerJoin('messages as m', 'm.id', 'r.message_id')
            .leftJoin('webhook_settings as s', 's.account_id', 'r.account_id')
            .leftJoin('webhook_events as sent', (j) =>
              j.onRef('sent.recipient_id', '=', 'r.id').on('sent.event', '=', 'sent'),
            ) as unknown as Recipients,
        )
          .select([
            v.id.as('id'),
            'r.account_id',
            'r.message_id',
            'r.id as recipient_id',
            sql<string>`${event}`.as('event'),
            sql<number>`case when ${sql.ref('sent.sort_key')} >= ${v.sortKey} then ${sql.ref('sent.sort_key')} + 1 else ${v.sortKey} end`.as(
              'sort_key',
            ),
            sql<string>`${v.occurredAt}`.as('occurred_at'),
            'm.webhook_url as url',
            sql<string>`${'pending'}`.as('status'),
            sql<string>`${v.now}`.as('next_attempt_at'),
            sql<string>`${v.expires}`.as('expires_at'),
            sql<string>`${v.now}`.as('created_at'),
            sql<string>`${v.now}`.as('updated_at'),
          ])
          .where('r.status', '=', event)
          .where((eb) => eb.or([eb('m.webhook_url', 'is not', null), eb('s.url', 'is not', null)])),
      )
      .onConflict((oc) => oc.columns(['recipient_id', 'event']).doNothing());

  /** The recipient by its id, or by the carrier's id of one of its parts. */
  const template = (event: StatusEventName, by: 'id' | 'part') =>
    queryTemplate(['id', 'sortKey', 'occurredAt', 'now', 'expires', 'recipientId', 'carrierId', 'ref'], (p) =>
      insertEvents(event, { ...p, id: sql<string>`${p.id}` }, (q) =>
        q.where(
          'r.id',
          '=',
          by === 'id'
            ? p.recipientId
            : db
                .selectFrom('carrier_refs')
                .select('recipient_id')
                .where('carrier_id', '=', p.carrierId)
                .where('carrier_message_id', '=', p.ref),
        ),
      ),
    );

  const forRecipient = {
    sent: template('sent', 'id'),
    failed: template('failed', 'id'),
    expired: template('expired', 'id'),
  };
  const forPart = { delivered: template('delivered', 'part'), failed: template('failed', 'part') };
  const stamp = (occurredAt: string, now: number, final: boolean) => ({
    id: newId('wh', now),
    sortKey: now * 2 + (final ? 1 : 0),
    occurredAt,
    now: iso(now),
    expires: iso(now + retryForMs),
  });

  /**
   * The `message.received` event of an assigned inbound message, when its number or its account has
   * a webhook URL: the inbound id stands as both message and recipient (unique per event, so once).
   */
  const receivedQuery = queryTemplate(['id', 'sortKey', 'now', 'expires', 'inboundId'], (p) =>
    db
      .insertInto('webhook_events')
      .columns(columns)
      .expression(
        db
          .selectFrom('inbound_messages as i')
          .innerJoin('inbound_numbers as n', 'n.id', 'i.number_id')
          .leftJoin('webhook_settings as s', 's.account_id', 'i.account_id')
          .select([
            sql<string>`${p.id}`.as('id'),
            'n.account_id',
            'i.id as message_id',
            'i.id as recipient_id',
            sql<string>`${'received'}`.as('event'),
            sql<number>`${p.sortKey}`.as('sort_key'),
            'i.received_at as occurred_at',
            'n.webhook_url as url',
            sql<string>`${'pending'}`.as('status'),
            sql<string>`${p.now}`.as('next_attempt_at'),
            sql<string>`${p.expires}`.as('expires_at'),
            sql<string>`${p.now}`.as('created_at'),
            sql<string>`${p.now}`.as('updated_at'),
          ])
          .where('i.id', '=', p.inboundId)
          .where((eb) => eb.or([eb('n.webhook_url', 'is not', null), eb('s.url', 'is not', null)])),
      )
      .onConflict((oc) => oc.columns(['recipient_id', 'event']).doNothing()),
  );

  return {
    /** The `message.received` event of the inbound message `inboundId`, stored in the same atomic step. */
    received(inboundId: string, now: number) {
      const { occurredAt: _, ...values } = stamp(iso(now), now, false);
      return receivedQuery({ ...values, inboundId });
    },
    /** The event for the recipient `recipientId` reaching `event` at `occurredAt`. */
    recipient(recipientId: string, event: 'sent' | 'failed' | 'expired', occurredAt: string, now: number) {
      return forRecipient[event]({
        ...stamp(occurredAt, now, event !== 'sent'),
        recipientId,
        carrierId: null,
        ref: null,
      });
    },
    /**
     * The `failed` events of every recipient a bulk step failed and marked with `token` as its claim
     * (a campaign's cancel): one statement; each event's id is made from its recipient's.
     */
    failedMarked(accountId: string, token: string, now: number) {
      const { id: _, ...values } = stamp(iso(now), now, true);
      return insertEvents('failed', { ...values, id: sql<string>`'wh_' || r.id` }, (q) =>
        q.where('r.account_id', '=', accountId).where('r.claim_token', '=', token),
      ).compile();
    },
    /** The `expired` events of the recipients `ids` that are `expired` now (a bulk step's): one statement. */
    expired(ids: readonly string[], now: number) {
      const { id: _, ...values } = stamp(iso(now), now, true);
      return insertEvents('expired', { ...values, id: sql<string>`'wh_' || r.id` }, (q) =>
        q.where('r.id', 'in', ids),
      ).compile();
    },
    /** The event for the recipient of the carrier's part `ref` reaching its final `event`. */
    part(carrierId: string, ref: string, event: 'delivered' | 'failed', occurredAt: string, now: number) {
      return forPart[event]({ ...stamp(occurredAt, now, true), recipientId: null, carrierId, ref });
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
