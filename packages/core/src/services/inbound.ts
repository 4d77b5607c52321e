import type { CompiledQuery, Selectable } from 'kysely';
import type { InboundMessage } from '../carriers/contract';
import { type Clock, iso } from '../clock';
import { firstWord } from '../domain/keywords';
import { normalizeServiceNumber } from '../domain/phone';
import { replaceUnsafe } from '../domain/safe-text';
import { newId } from '../ids';
import type { InboundMessagesTable } from '../storage/schema';
import type { Store } from '../storage/store';
import type { Outbox } from '../webhooks/outbox';

/** How far back a received message looks for the account's message it answers (`in_reply_to`). */
export const IN_REPLY_WINDOW_MS = 7 * 86_400_000;

export type InboundRow = Selectable<InboundMessagesTable>;

/**
 * What storing an inbound message did: `stored` (with the row as stored: its account, number and
 * keyword when a number matched, for whatever acts on an assigned message next) or `duplicate` (its
 * carrier id was stored before; nothing changed).
 */
export type StoredInbound = { outcome: 'stored'; message: InboundRow } | { outcome: 'duplicate' };

/**
 * Messages subscribers send in (MO), stored as their carriers pass them on, each carrier id once, and
 * assigned to the account whose number they came in on: the number with the message's first word as
 * its keyword, else the number without one (a number bound to a carrier matches only that carrier's
 * messages). An assigned message's `message.received` webhook is written in the same atomic step.
 */
export function createInbound(deps: { store: Store; clock: Clock; outbox: Outbox; defaultRegion: string }) {
  const { store, clock, outbox, defaultRegion } = deps;
  const { db } = store;
  /** A number as numbers are kept, when it reads as one; else as it came. */
  const kept = (text: string) => normalizeServiceNumber(text, defaultRegion) ?? text;

  /** The number row `to` and the first word `word` match for a message from `carrierId`. */
  const matchNumber = (to: string, word: string, carrierId: string) =>
    db
      .selectFrom('inbound_numbers')
      .select(['id', 'account_id', 'keyword'])
      .where('number', '=', to)
      .where('keyword', 'in', [word, ''])
      .where((eb) => eb.or([eb('carrier_id', 'is', null), eb('carrier_id', '=', carrierId)]))
      .orderBy('keyword', 'desc') // the keyword's row before the number's own
      .limit(1)
      .executeTakeFirst();

  /** The account's latest message to `phone` within the window before `receivedAt`. */
  const answered = async (accountId: string, phone: string, receivedAt: string) =>
    (
      await db
        .selectFrom('recipients')
        .select('message_id')
        .where('account_id', '=', accountId)
        .where('phone', '=', phone)
        .where('created_at', '>=', iso(Date.parse(receivedAt) - IN_REPLY_WINDOW_MS))
        .where('created_at', '<=', receivedAt)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst()
    )?.message_id ?? null;

  return {
    /**
     * Stores the message; `also` gives statements (from the row about to be stored) for the same
     * atomic step: what a keyword changes, which therefore happens exactly when the message is stored.
     */
    async store(
      carrierId: string,
      message: InboundMessage,
      also?: (row: InboundRow) => Promise<CompiledQuery[]>,
    ): Promise<StoredInbound> {
      const now = clock.now();
      const id = newId('in', now);
      // A carrier's text is stored as it came, but PostgreSQL holds no NUL: those become U+FFFD.
      const sender = kept(replaceUnsafe(message.from));
      const recipient = kept(replaceUnsafe(message.to));
      const body = replaceUnsafe(message.text);
      const receivedAt = iso(message.at ?? now);
      const number = await matchNumber(recipient, firstWord(body), carrierId);
      const values: InboundRow = {
        id,
        carrier_id: carrierId,
        carrier_message_id:
          message.carrierMessageId === undefined ? null : replaceUnsafe(message.carrierMessageId),
        sender,
        recipient,
        body,
        received_at: receivedAt,
        created_at: iso(now),
        account_id: number?.account_id ?? null,
        number_id: number?.id ?? null,
        keyword: number?.keyword || null,
        in_reply_to: number ? await answered(number.account_id, sender, receivedAt) : null,
      };
      const [inserted] = await store.atomic([
        db
          .insertInto('inbound_messages')
          .values(values)
          .onConflict((oc) => oc.columns(['carrier_id', 'carrier_message_id']).doNothing())
          .returningAll()
          .compile(),
        ...(number ? [outbox.received(id, now)] : []),
        ...((await also?.(values)) ?? []),
      ]);
      const row = inserted?.rows[0] as InboundRow | undefined;
      return row ? { outcome: 'stored', message: row } : { outcome: 'duplicate' };
    },
  };
}

export type Inbound = ReturnType<typeof createInbound>;
