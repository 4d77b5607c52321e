import type { Principal } from '../auth/principal';
import { type Activity, actorOf } from './activity';
import type { Admin } from './admin';
import type { PageRequest } from './paging';
import type { SenderIdRules } from './sender-id-views';
import type { SenderIdRequest } from './sender-ids';

/**
 * An account's sender IDs as its key holders reach them (the API, the dashboard): asking for one,
 * recorded in the account's activity log, and listing them with the gateway-wide ones.
 */
export function createAccountSenderIds(deps: { admin: Admin; activity: Activity; rules: SenderIdRules }) {
  const { admin, activity, rules } = deps;
  return {
    /** Asks the gateway's operator for a sender ID: pending for every operator until each decides. */
    async request(principal: Principal, input: SenderIdRequest) {
      const requested = await admin.requestSenderId(principal.accountId, input, rules);
      await activity.record(
        principal.accountId,
        actorOf(principal),
        'sender_id.requested',
        requested.sender_id,
        {
          use: requested.use,
          note: requested.note,
        },
      );
      return requested;
    },

    /** A page of the account's sender IDs, each with every operator's decision. */
    list: (accountId: string, page: PageRequest) => admin.listSenderIds(accountId, rules, page),
  };
}

export type AccountSenderIds = ReturnType<typeof createAccountSenderIds>;
