import { sql } from 'kysely';
import type { Principal } from '../auth/principal';
import { type Clock, iso } from '../clock';
import { newId } from '../ids';
import { toMajor } from '../money';
import { countRows } from '../storage/count-rows';
import type { Store } from '../storage/store';
import { offsetOf, type PageRequest, pagination } from './paging';

/** What the log records itself; money moves (`sms.sent`, `sms.refunded`, `balance.topup`, `account.opened`) come from the ledger. */
export type ActivityAction =
  | 'key.created'
  | 'key.revoked'
  | 'key.rotated'
  | 'account.settings_changed'
  | 'sender_id.added'
  | 'sender_id.requested'
  | 'sender_id.approved'
  | 'sender_id.rejected'
  | 'number.added'
  | 'number.removed'
  | 'webhook.updated'
  | 'webhook.secret_rotated'
  | 'webhook.resent'
  | 'contacts.imported'
  | 'campaign.cancelled'
  | 'compliance.settings_changed'
  | 'compliance.paused'
  | 'compliance.resumed'
  | 'dashboard.signed_in'
  | 'dashboard.signed_out';

export interface ActivityEntry {
  id: string;
  action: string;
  actor: string | null;
  subject: string | null;
  details: Record<string, unknown> | null;
  created_at: string;
}

/** Who did it: the API key, or an operator in process or at the CLI. */
export const actorOf = (principal: Principal) => (principal.keyId ? `key:${principal.keyId}` : 'in-process');

/**
 * The audit log of an account: changes recorded as they are made, and the ledger's money moves (each
 * send with the key that made it, top-ups, refunds) read beside them, newest first.
 */
export function createActivity({ store, clock }: { store: Store; clock: Clock }) {
  const { db } = store;

  return {
    async record(
      accountId: string,
      actor: string,
      action: ActivityAction,
      subject: string | null = null,
      details: Record<string, unknown> | null = null,
    ) {
      const at = clock.now();
      await db
        .insertInto('activity_log')
        .values({
          id: newId('act', at),
          account_id: accountId,
          actor,
          action,
          subject,
          details: details === null ? null : JSON.stringify(details),
          created_at: iso(at),
        })
        .execute();
    },

    async list(accountId: string, query: PageRequest & { action?: string | undefined }) {
      const logged = db
        .selectFrom('activity_log')
        .select([
          'id',
          'action',
          sql<string | null>`actor`.as('actor'),
          'subject',
          'details',
          sql<number | null>`null`.as('amount'),
          'created_at',
        ])
        .where('account_id', '=', accountId);
      const money = db
        .selectFrom('ledger_entries as l')
        .leftJoin('messages as m', (j) => j.onRef('m.id', '=', 'l.reference').on('l.kind', '=', 'send'))
        .select([
          'l.id',
          sql<string>`case l.kind when 'send' then 'sms.sent' when 'refund' then 'sms.refunded' when 'topup' then 'balance.topup' else 'account.opened' end`.as(
            'action',
          ),
          sql<string | null>`case when m.api_key_id is null then null else 'key:' || m.api_key_id end`.as(
            'actor',
          ),
          'l.reference as subject',
          sql<string | null>`null`.as('details'),
          sql<number | null>`l.amount`.as('amount'),
          'l.created_at',
        ])
        .where('l.account_id', '=', accountId);
      const all = db
        .selectFrom(logged.unionAll(money).as('a'))
        .$if(query.action !== undefined, (q) => q.where('a.action', '=', query.action!));
      const total = await countRows(all);
      const rows = await all
        .selectAll()
        .orderBy('a.created_at', 'desc')
        .orderBy('a.id', 'desc')
        .limit(query.per_page)
        .offset(offsetOf(query))
        .execute();
      const activity: ActivityEntry[] = rows.map((r) => ({
        id: r.id,
        action: r.action,
        actor: r.actor,
        subject: r.subject,
        details:
          r.amount !== null && r.amount !== undefined
            ? { amount: toMajor(Number(r.amount)) }
            : r.details === null
              ? null
              : (JSON.parse(r.details) as Record<string, unknown>),
        created_at: r.created_at,
      }));
      return { activity, pagination: pagination(query, total) };
    },
  };
}

export type Activity = ReturnType<typeof createActivity>;
