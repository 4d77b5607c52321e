import { type Clock, iso } from '../clock';
import { isWellFormedSenderId } from '../domain/sender-id';
import { GatewayError } from '../errors';
import { insertForAccount } from '../storage/for-account';
import type { Store } from '../storage/store';

/** Sender IDs an account may use besides the configured ones. */
export function createSenderIds({ store, clock }: { store: Store; clock: Clock }) {
  const { db } = store;
  return {
    /** Adds a sender ID to an existing account (again is fine): one statement, no read before. */
    async addSenderId(accountId: string, senderId: string): Promise<void> {
      if (!isWellFormedSenderId(senderId))
        throw new GatewayError(
          'INVALID_SENDER_ID',
          'A sender ID is 1-11 letters/digits (with a letter) or up to 15 digits',
          { sender_id: senderId, approved: null },
        );
      const row = await insertForAccount(db, 'sender_ids', accountId, {
        sender_id: senderId,
        created_at: iso(clock.now()),
      })
        .onConflict((oc) => oc.columns(['account_id', 'sender_id']).doUpdateSet({ sender_id: senderId }))
        .returning('sender_id')
        .executeTakeFirst();
      if (!row) throw new GatewayError('NOT_FOUND', `No account ${accountId}`);
    },

    async listSenderIds(accountId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('accounts')
        .leftJoin('sender_ids', 'sender_ids.account_id', 'accounts.id')
        .select('sender_ids.sender_id')
        .where('accounts.id', '=', accountId)
        .orderBy('sender_ids.sender_id')
        .execute();
      if (rows.length === 0) throw new GatewayError('NOT_FOUND', `No account ${accountId}`);
      return rows.flatMap((r) => (r.sender_id === null ? [] : [r.sender_id]));
    },
  };
}
