import { type ExpressionBuilder, type Selectable, sql } from 'kysely';
import { iso } from '../clock';
import type { Database, MessagesTable } from '../storage/schema';
import type { Store } from '../storage/store';
import { queryTemplate } from '../storage/template';

/** A recipient taken from the outbox by one dispatcher. */
export interface Claimed {
  id: string;
  message_id: string;
  account_id: string;
  phone: string;
  operator: string | null;
  attempts: number;
  cost: number;
}

/** What a dispatcher needs of a claimed recipient's message (and, for a reply, the carrier its inbound message came by). */
export type ClaimedMessage = Pick<
  Selectable<MessagesTable>,
  | 'id'
  | 'sender_id'
  | 'body'
  | 'national_language'
  | 'valid_until'
  | 'traffic_class'
  | 'reply_to'
  | 'created_at'
> & { reply_carrier_id: string | null };

/**
 * Claims of due recipients: a guarded UPDATE takes them for one dispatcher's token (`sending`, with a
 * claim that expires), and their messages are read in the same atomic step.
 */
export function createClaims(store: Store) {
  const { db } = store;

  const claimable = (now: string) => (eb: ExpressionBuilder<Database, 'recipients'>) =>
    eb.or([
      eb.and([eb('status', 'in', ['queued', 'scheduled']), eb('next_attempt_at', '<=', now)]),
      eb.and([eb('status', '=', 'sending'), eb('claim_expires_at', '<', now)]),
    ]);

  /** Up to `limit` due recipients (of one message, with `messageId`) for `token`; see `claim`. */
  const claimQuery = (oneMessage: boolean) =>
    queryTemplate(['token', 'expires', 'at', 'limit', 'messageId'], (p) => {
      const due = db
        .selectFrom('recipients')
        .select('id')
        .where(claimable(p.at))
        .$if(oneMessage, (q) => q.where('message_id', '=', p.messageId))
        .orderBy('next_attempt_at')
        .limit(p.limit);
      return (
        db
          .updateTable('recipients')
          .set({
            status: 'sending',
            claim_token: p.token,
            claim_expires_at: p.expires,
            attempts: sql`attempts + 1`,
            updated_at: p.at,
          })
          .where(
            store.skipLocked
              ? // Rows another dispatcher is claiming are passed over, not waited for: a claim waiting
                // for a group that held them, while its own group held rows that group wanted next,
                // deadlocked across processes. The ids are taken once (an array): a locking subquery
                // run again per row would pass over the rows this update changed and take the next.
                sql<boolean>`id = any(array(${due.forUpdate().skipLocked()}))`
              : (eb) => eb('id', 'in', due),
          )
          // Re-checked on the row itself: a concurrent claimer cannot take it twice.
          .where(claimable(p.at))
          .returning(['id', 'message_id', 'account_id', 'phone', 'operator', 'attempts', 'cost'])
      );
    });
  const claimAny = claimQuery(false);
  const claimOfMessage = claimQuery(true);
  /** The messages of what a claim took, read in the claim's own atomic step. */
  const claimedMessages = queryTemplate(['token'], (p) =>
    db
      .selectFrom('messages as m')
      .leftJoin('inbound_messages as i', 'i.id', 'm.reply_to')
      .select([
        'm.id',
        'm.sender_id',
        'm.body',
        'm.national_language',
        'm.valid_until',
        'm.traffic_class',
        'm.reply_to',
        'm.created_at',
        'i.carrier_id as reply_carrier_id',
      ])
      .where(
        'm.id',
        'in',
        db.selectFrom('recipients').select('message_id').where('claim_token', '=', p.token),
      ),
  );

  return {
    /**
     * Takes up to `limit` due recipients (and expired claims of dead dispatchers) for `token`, of one
     * message only when `messageId` is given, with their messages. An atomic step like any other, so on
     * SQLite and PostgreSQL it shares the group commit of the sends arriving meanwhile instead of a
     * commit of its own.
     */
    async claim(
      token: string,
      now: number,
      limit: number,
      claimTimeoutMs: number,
      messageId?: string,
    ): Promise<{ recipients: Claimed[]; messages: ClaimedMessage[] }> {
      const values = { token, expires: iso(now + claimTimeoutMs), at: iso(now), limit, messageId };
      const [taken, messages] = await store.atomic([
        (messageId === undefined ? claimAny : claimOfMessage)(values),
        claimedMessages({ token }),
      ]);
      return { recipients: taken!.rows as Claimed[], messages: messages!.rows as ClaimedMessage[] };
    },
  };
}
