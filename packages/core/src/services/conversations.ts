import { publicStatus } from '../domain/message-status';
import { GatewayError } from '../errors';
import type { Store } from '../storage/store';
import { offsetOf, type PageRequest, pagination } from './paging';

/** How many of a conversation's latest messages (each way) are shown. */
export const CONVERSATION_LIMIT = 100;

/** One message of a conversation: one the subscriber sent in, or one the account sent them. */
export type ConversationItem =
  | { direction: 'in'; id: string; at: string; text: string; number: string }
  | {
      direction: 'out';
      id: string;
      at: string;
      text: string;
      number: string;
      messageId: string;
      status: ReturnType<typeof publicStatus>;
    };

/**
 * An account's conversations with the subscribers who wrote to its numbers: one per sender, by their
 * latest message, and each one's messages both ways (read with the (account, sender, received) and
 * (account, phone, created) indexes).
 */
export function createConversations({ store }: { store: Store }) {
  const { db } = store;
  const inboundOf = (accountId: string) =>
    db.selectFrom('inbound_messages').where('account_id', '=', accountId);

  return {
    /** A page of conversations, the one with the newest message first, each with its latest message. */
    async list(accountId: string, page: PageRequest) {
      const senders = inboundOf(accountId).select('sender').groupBy('sender');
      const [counted, heads] = await Promise.all([
        db
          .selectFrom(senders.as('s'))
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst(),
        inboundOf(accountId)
          .select((eb) => [
            'sender',
            eb.fn.max('received_at').as('last_at'),
            eb.fn.countAll<number>().as('n'),
          ])
          .groupBy('sender')
          .orderBy('last_at', 'desc')
          .orderBy('sender', 'desc')
          .limit(page.per_page)
          .offset(offsetOf(page))
          .execute(),
      ]);
      const latest = heads.length
        ? await inboundOf(accountId)
            .select(['id', 'sender', 'recipient', 'body', 'received_at'])
            .where((eb) =>
              eb.or(
                heads.map((h) =>
                  eb.and([eb('sender', '=', h.sender), eb('received_at', '=', String(h.last_at))]),
                ),
              ),
            )
            .orderBy('id', 'desc')
            .execute()
        : [];
      const conversations = heads.map((h) => {
        const m = latest.find((l) => l.sender === h.sender)!;
        return {
          from: h.sender,
          messages: Number(h.n),
          latest: { id: m.id, to: m.recipient, text: m.body, at: m.received_at },
        };
      });
      return { conversations, pagination: pagination(page, Number(counted?.n ?? 0)) };
    },

    /**
     * The conversation with `from`: its latest messages both ways, oldest first, and the latest inbound
     * message (what a reply answers). NOT_FOUND when `from` never wrote to the account.
     */
    async get(accountId: string, from: string) {
      const [inbound, sent] = await Promise.all([
        inboundOf(accountId)
          .select(['id', 'recipient', 'body', 'received_at'])
          .where('sender', '=', from)
          .orderBy('received_at', 'desc')
          .orderBy('id', 'desc')
          .limit(CONVERSATION_LIMIT)
          .execute(),
        db
          .selectFrom('recipients as r')
          .innerJoin('messages as m', 'm.id', 'r.message_id')
          .select(['r.id', 'r.message_id', 'r.status', 'r.created_at', 'm.body', 'm.sender_id'])
          .where('r.account_id', '=', accountId)
          .where('r.phone', '=', from)
          .orderBy('r.created_at', 'desc')
          .orderBy('r.id', 'desc')
          .limit(CONVERSATION_LIMIT)
          .execute(),
      ]);
      const last = inbound[0];
      if (!last) throw new GatewayError('NOT_FOUND', `No conversation with ${from}`);
      const items: ConversationItem[] = [
        ...inbound.map((m) => ({
          direction: 'in' as const,
          id: m.id,
          at: m.received_at,
          text: m.body,
          number: m.recipient,
        })),
        ...sent.map((r) => ({
          direction: 'out' as const,
          id: r.id,
          at: r.created_at,
          text: r.body,
          number: r.sender_id,
          messageId: r.message_id,
          status: publicStatus(r.status),
        })),
      ];
      items.sort((a, b) => (a.at === b.at ? a.id.localeCompare(b.id) : a.at < b.at ? -1 : 1));
      return { from, latestInbound: last.id, items: items.slice(-CONVERSATION_LIMIT) };
    },
  };
}

export type Conversations = ReturnType<typeof createConversations>;
