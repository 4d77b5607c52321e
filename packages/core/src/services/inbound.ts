import type { InboundMessage } from '../carriers/contract';
import { type Clock, iso } from '../clock';
import { replaceUnsafe } from '../domain/safe-text';
import { newId } from '../ids';
import type { Store } from '../storage/store';

/** Messages subscribers send in (MO), stored as their carriers pass them on, each carrier id once. */
export function createInbound(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;
  return {
    async store(carrierId: string, message: InboundMessage): Promise<'stored' | 'duplicate'> {
      const now = clock.now();
      const rows = await store.db
        .insertInto('inbound_messages')
        .values({
          id: newId('in', now),
          carrier_id: carrierId,
          // A carrier's text is stored as it came, but PostgreSQL holds no NUL: those become U+FFFD.
          carrier_message_id:
            message.carrierMessageId === undefined ? null : replaceUnsafe(message.carrierMessageId),
          sender: replaceUnsafe(message.from),
          recipient: replaceUnsafe(message.to),
          body: replaceUnsafe(message.text),
          received_at: iso(message.at ?? now),
          created_at: iso(now),
        })
        .onConflict((oc) => oc.columns(['carrier_id', 'carrier_message_id']).doNothing())
        .returning('id')
        .execute();
      return rows.length === 1 ? 'stored' : 'duplicate';
    },
  };
}

export type Inbound = ReturnType<typeof createInbound>;
