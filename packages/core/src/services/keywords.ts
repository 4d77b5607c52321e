import type { CompiledQuery } from 'kysely';
import type { InboundMessage } from '../carriers/contract';
import type { MifumoConfig } from '../config';
import { type KeywordAction, keywordAction } from '../domain/keyword-action';
import { renderReply } from '../domain/opt-out-footer';
import { GatewayError } from '../errors';
import type { Logger } from '../logger';
import type { Store } from '../storage/store';
import type { Compliance } from './compliance';
import type { Consent } from './consent';
import type { Inbound, InboundRow, StoredInbound } from './inbound';
import type { SendOptions } from './send/send';
import type { SendInput } from './send/types';

/** How much of the message an opt-out's or opt-in's evidence quotes, in characters. */
const QUOTED_LENGTH = 160;

/** Sends for an account, as the gateway (every permission). */
export type SendAs = (accountId: string, input: SendInput, options: SendOptions) => Promise<unknown>;

/** The accounts a keyword acts for, and what it asks. */
interface Plan {
  action: KeywordAction;
  accountIds: string[];
}

/**
 * Subscribers' keywords (STOP, START, HELP and the configured others): every inbound message goes
 * through `receive`, which stores it and, when it is a keyword, acts on it.
 *
 * The keyword is the message's first word, or on a shared short code the word after the account's
 * routing keyword (`DUKA ACHA`). An opt-out or opt-in applies to the account of the number (and
 * keyword) it came in on, in the atomic step that stores the message, so it is never lost and a
 * carrier's repeat of the same message changes nothing. An opt-out word sent to a shared short code
 * without a routing keyword (plain `STOP` to a code several accounts share) opts the sender out of
 * every account with a keyword on that number; opt-in and help words there do nothing (which account
 * is meant cannot be told). Each keyword is then answered, best effort, with the account's reply text
 * (`{sender}`: the account's name), as a transactional reply from the number it came in on, charged
 * like any message and sent to an opted-out number too; one it cannot send (balance too low, …) is a
 * log line, never an error to the carrier.
 */
export function createKeywords(deps: {
  store: Store;
  config: MifumoConfig;
  inbound: Inbound;
  consent: Consent;
  compliance: Compliance;
  sendAs: SendAs;
  log: Logger;
}) {
  const { store, config, inbound, consent, compliance, sendAs, log } = deps;
  const { db } = store;
  const lists = {
    optOut: config.compliance.optOutKeywords,
    optIn: config.compliance.optInKeywords,
    help: config.compliance.helpKeywords,
  };

  /** The accounts with a keyword on `number` for messages from `carrierId` (a shared short code's). */
  const sharing = async (number: string, carrierId: string) =>
    (
      await db
        .selectFrom('inbound_numbers')
        .select('account_id')
        .distinct()
        .where('number', '=', number)
        .where('keyword', '!=', '')
        .where((eb) => eb.or([eb('carrier_id', 'is', null), eb('carrier_id', '=', carrierId)]))
        .orderBy('account_id')
        .execute()
    ).map((r) => r.account_id);

  async function planOf(row: InboundRow): Promise<Plan | null> {
    if (row.account_id !== null) {
      const action = keywordAction(row.body, row.keyword, lists);
      return action && { action, accountIds: [row.account_id] };
    }
    if (keywordAction(row.body, null, lists) !== 'opt_out') return null;
    const accountIds = await sharing(row.recipient, row.carrier_id);
    return accountIds.length ? { action: 'opt_out', accountIds } : null;
  }

  function statements(row: InboundRow, plan: Plan): CompiledQuery[] {
    if (plan.action === 'help') return [];
    const quoted = [...row.body].slice(0, QUOTED_LENGTH).join('');
    const evidence = `SMS "${quoted}" (inbound ${row.id})`;
    return plan.accountIds.flatMap((accountId) =>
      consent.keywordStatements(accountId, plan.action as 'opt_out' | 'opt_in', {
        id: row.id,
        phone: row.sender,
        evidence,
      }),
    );
  }

  /** Answers the keyword for one account; what it cannot send is logged. */
  async function confirm(row: InboundRow, action: KeywordAction, accountId: string) {
    try {
      const account = await db
        .selectFrom('accounts')
        .select('name')
        .where('id', '=', accountId)
        .executeTakeFirst();
      if (!account) return;
      const texts = await compliance.settings(accountId);
      const template =
        action === 'opt_out' ? texts.optOutReply : action === 'opt_in' ? texts.optInReply : texts.helpReply;
      await sendAs(
        accountId,
        { message: renderReply(template, account.name), traffic_class: 'transactional' },
        { reply: { id: row.id, from: row.sender, to: row.recipient }, suppress: false },
      );
    } catch (e) {
      const why = e instanceof GatewayError ? `${e.code}: ${e.message}` : String(e);
      log.error(`Keyword reply of account ${accountId} to inbound ${row.id} not sent (${why})`, undefined, {
        account_id: accountId,
      });
    }
  }

  return {
    /** Stores a message a subscriber sent through `carrierId` and acts on its keyword (see above). */
    async receive(carrierId: string, message: InboundMessage): Promise<StoredInbound> {
      let plan: Plan | null = null;
      const stored = await inbound.store(carrierId, message, async (row) => {
        plan = await planOf(row);
        return plan ? statements(row, plan) : [];
      });
      const done = plan as Plan | null;
      if (stored.outcome === 'stored' && done)
        for (const accountId of done.accountIds) await confirm(stored.message, done.action, accountId);
      return stored;
    },
  };
}

export type Keywords = ReturnType<typeof createKeywords>;
