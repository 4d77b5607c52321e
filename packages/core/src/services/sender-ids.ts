import { sql } from 'kysely';
import { type Clock, iso } from '../clock';
import type { ApprovalStatus, Decision, SenderIdUse } from '../domain/sender-approval';
import { checkSenderIdForm } from '../domain/sender-id';
import { GatewayError } from '../errors';
import { countRows } from '../storage/count-rows';
import { insertForAccount } from '../storage/for-account';
import type { Store } from '../storage/store';
import { offsetOf, type PageRequest, pagination } from './paging';
import {
  approvalOf,
  gatewayView,
  knownOperators,
  type OperatorRow,
  type OwnSenderIds,
  type SenderIdRules,
  type SenderIdView,
  viewOf,
} from './sender-id-views';

/** Most sender IDs an account may ask for (the operator may add more). */
export const MAX_REQUESTED_SENDER_IDS = 100;

export interface SenderIdRequest {
  sender_id: string;
  use: SenderIdUse;
  note?: string | undefined;
}

/** An operator's decision: approve, or reject with a reason; for the named operators, or every one (null). */
export interface SenderIdDecision {
  status: Exclude<ApprovalStatus, 'pending'>;
  reason: string | null;
  operators: readonly string[] | null;
}

const quoted = (senderId: string) => JSON.stringify(senderId);

/**
 * The sender IDs accounts send as, besides the configured gateway-wide ones: asked for by the account
 * (pending for every operator), then approved or rejected by the gateway's operator for every operator
 * or for some; or added by the operator, approved for every operator.
 */
export function createSenderIds({ store, clock }: { store: Store; clock: Clock }) {
  const { db } = store;

  const senderIdRow = (accountId: string, senderId: string) =>
    db
      .selectFrom('sender_ids')
      .select(['sender_id', 'use', 'note', 'status', 'reason', 'decided_at', 'created_at'])
      .where('account_id', '=', accountId)
      .where('sender_id', '=', senderId)
      .executeTakeFirst();

  const operatorRows = (accountId: string) =>
    db
      .selectFrom('sender_id_operators')
      .select(['sender_id', 'operator', 'status', 'reason', 'decided_at'])
      .where('account_id', '=', accountId);

  async function viewFor(accountId: string, senderId: string, rules: SenderIdRules) {
    const row = await senderIdRow(accountId, senderId);
    if (!row) return null;
    return viewOf(row, await operatorRows(accountId).where('sender_id', '=', senderId).execute(), rules);
  }

  async function accountMustExist(accountId: string) {
    const account = await db
      .selectFrom('accounts')
      .select('id')
      .where('id', '=', accountId)
      .executeTakeFirst();
    if (!account) throw new GatewayError('NOT_FOUND', `No account ${accountId}`);
  }

  return {
    /**
     * Adds a sender ID to an existing account, approved for every operator (one it asked for too,
     * whatever was decided before); again is fine.
     */
    async addSenderId(accountId: string, senderId: string): Promise<void> {
      checkSenderIdForm(senderId);
      const at = iso(clock.now());
      const approved = { status: 'approved' as const, reason: null, decided_at: at };
      const insert = insertForAccount(db, 'sender_ids', accountId, {
        sender_id: senderId,
        created_at: at,
        ...approved,
      })
        .onConflict((oc) => oc.columns(['account_id', 'sender_id']).doUpdateSet(approved))
        .returning('sender_id')
        .compile();
      const others = db
        .deleteFrom('sender_id_operators')
        .where('account_id', '=', accountId)
        .where('sender_id', '=', senderId)
        .compile();
      const [added] = await store.atomic([insert, others]);
      if (!added?.rows.length) throw new GatewayError('NOT_FOUND', `No account ${accountId}`);
    },

    /**
     * An account asks for a sender ID: stored pending for every operator. CONFLICT when the account has
     * it already or it is gateway-wide, or when it has `MAX_REQUESTED_SENDER_IDS` already.
     */
    async requestSenderId(
      accountId: string,
      input: SenderIdRequest,
      rules: SenderIdRules,
    ): Promise<SenderIdView> {
      const senderId = input.sender_id;
      checkSenderIdForm(senderId);
      if (rules.gatewayWide.includes(senderId))
        throw new GatewayError(
          'CONFLICT',
          `Sender ID ${quoted(senderId)} is gateway-wide: every account may use it already`,
          { reason: 'sender_id_exists', sender_id: senderId, status: 'approved' },
        );
      const inserted = await db
        .insertInto('sender_ids')
        .columns(['account_id', 'sender_id', 'use', 'note', 'status', 'created_at'])
        .expression(
          db
            .selectFrom('accounts')
            .select([
              'id as account_id',
              sql<string>`${senderId}`.as('sender_id'),
              sql<string>`${input.use}`.as('use'),
              sql<string | null>`${input.note ?? null}`.as('note'),
              sql<string>`${'pending'}`.as('status'),
              sql<string>`${iso(clock.now())}`.as('created_at'),
            ])
            .where('id', '=', accountId)
            .where(
              (eb) =>
                eb
                  .selectFrom('sender_ids')
                  .select((s) => s.fn.countAll().as('n'))
                  .where('account_id', '=', accountId),
              '<',
              MAX_REQUESTED_SENDER_IDS,
            ),
        )
        .onConflict((oc) => oc.columns(['account_id', 'sender_id']).doNothing())
        .returning('sender_id')
        .executeTakeFirst();
      if (!inserted) {
        const existing = await viewFor(accountId, senderId, rules);
        if (existing)
          throw new GatewayError(
            'CONFLICT',
            `Sender ID ${quoted(senderId)} was asked for already (${existing.status})`,
            { reason: 'sender_id_exists', sender_id: senderId, status: existing.status },
          );
        await accountMustExist(accountId);
        throw new GatewayError(
          'CONFLICT',
          `An account may ask for at most ${MAX_REQUESTED_SENDER_IDS} sender IDs`,
          { reason: 'too_many_sender_ids', max: MAX_REQUESTED_SENDER_IDS },
        );
      }
      return (await viewFor(accountId, senderId, rules))!;
    },

    /**
     * Approves or rejects an account's sender ID for the operators named (each the gateway knows), or for
     * every operator (what any operator decided before is replaced); NOT_FOUND when the account has no
     * such sender ID.
     */
    async decideSenderId(
      accountId: string,
      senderId: string,
      decision: SenderIdDecision,
      rules: SenderIdRules,
    ): Promise<SenderIdView> {
      const operators = decision.operators && knownOperators(decision.operators, rules);
      const decided = { status: decision.status, reason: decision.reason, decided_at: iso(clock.now()) };
      const queries =
        operators === null
          ? [
              db
                .updateTable('sender_ids')
                .set(decided)
                .where('account_id', '=', accountId)
                .where('sender_id', '=', senderId)
                .returning('sender_id')
                .compile(),
              db
                .deleteFrom('sender_id_operators')
                .where('account_id', '=', accountId)
                .where('sender_id', '=', senderId)
                .compile(),
            ]
          : operators.map((operator) =>
              db
                .insertInto('sender_id_operators')
                .columns(['account_id', 'sender_id', 'operator', 'status', 'reason', 'decided_at'])
                .expression(
                  db
                    .selectFrom('sender_ids')
                    .select([
                      'account_id',
                      'sender_id',
                      sql<string>`${operator}`.as('operator'),
                      sql<string>`${decided.status}`.as('status'),
                      sql<string | null>`${decided.reason}`.as('reason'),
                      sql<string>`${decided.decided_at}`.as('decided_at'),
                    ])
                    .where('account_id', '=', accountId)
                    .where('sender_id', '=', senderId),
                )
                .onConflict((oc) => oc.columns(['account_id', 'sender_id', 'operator']).doUpdateSet(decided))
                .returning('sender_id')
                .compile(),
            );
      const [first] = await store.atomic(queries);
      if (!first?.rows.length)
        throw new GatewayError('NOT_FOUND', `Account ${accountId} has no sender ID ${quoted(senderId)}`);
      return (await viewFor(accountId, senderId, rules))!;
    },

    /** The account's own sender IDs with their decisions, in one query (a send's check). */
    async ownSenderIds(accountId: string): Promise<OwnSenderIds> {
      const rows = await db
        .selectFrom('sender_ids as s')
        .leftJoin('sender_id_operators as o', (join) =>
          join.onRef('o.account_id', '=', 's.account_id').onRef('o.sender_id', '=', 's.sender_id'),
        )
        .select([
          's.sender_id',
          's.status',
          's.reason',
          's.decided_at',
          'o.operator',
          'o.status as operator_status',
          'o.reason as operator_reason',
          'o.decided_at as operator_decided_at',
        ])
        .where('s.account_id', '=', accountId)
        .execute();
      const own = new Map<string, { row: Decision; operators: OperatorRow[] }>();
      for (const r of rows) {
        const entry = own.get(r.sender_id) ?? { row: r, operators: [] };
        own.set(r.sender_id, entry);
        if (r.operator !== null)
          entry.operators.push({
            sender_id: r.sender_id,
            operator: r.operator,
            status: r.operator_status!,
            reason: r.operator_reason,
            decided_at: r.operator_decided_at!,
          });
      }
      return new Map([...own].map(([id, e]) => [id, approvalOf(e.row, e.operators)]));
    },

    /**
     * A page of the account's sender IDs: its own by name, then the gateway-wide ones (an own one that
     * is also gateway-wide shows once, as gateway-wide); all of them without `page`. NOT_FOUND for no
     * such account.
     */
    async listSenderIds(accountId: string, rules: SenderIdRules, page: PageRequest | null = null) {
      await accountMustExist(accountId);
      const { gatewayWide } = rules;
      const own = db
        .selectFrom('sender_ids')
        .where('account_id', '=', accountId)
        .$if(gatewayWide.length > 0, (q) => q.where('sender_id', 'not in', gatewayWide));
      const ownTotal = await countRows(own);
      const rows = await own
        .select(['sender_id', 'use', 'note', 'status', 'reason', 'decided_at', 'created_at'])
        .orderBy('sender_id')
        .$if(page !== null, (q) => q.limit(page!.per_page).offset(offsetOf(page!)))
        .execute();
      // The page's operator decisions: its sender IDs are a range of names (a few more are skipped).
      const decisions =
        rows.length === 0
          ? []
          : await operatorRows(accountId)
              .where('sender_id', '>=', rows[0]!.sender_id)
              .where('sender_id', '<=', rows.at(-1)!.sender_id)
              .execute();
      const start = page === null ? 0 : Math.max(0, offsetOf(page) - ownTotal);
      const end = page === null ? gatewayWide.length : start + page.per_page - rows.length;
      const senderIds = [
        ...rows.map((r) =>
          viewOf(
            r,
            decisions.filter((d) => d.sender_id === r.sender_id),
            rules,
          ),
        ),
        ...gatewayWide.slice(start, end).map((id) => gatewayView(id, rules)),
      ];
      const total = ownTotal + gatewayWide.length;
      return {
        sender_ids: senderIds,
        pagination: pagination(page ?? { page: 1, per_page: Math.max(total, 1) }, total),
      };
    },
  };
}
