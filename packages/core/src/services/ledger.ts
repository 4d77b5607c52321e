import { type Kysely, sql } from 'kysely';
import { newId } from '../ids';
import { MAX_MINOR } from '../money';
import { insertForAccount } from '../storage/for-account';
import type { Database, LedgerEntriesTable } from '../storage/schema';
import { queryTemplate } from '../storage/template';

export interface BalanceChange {
  accountId: string;
  /** Minor units; negative for a debit. */
  amount: number;
  kind: LedgerEntriesTable['kind'];
  reference: string | null;
  at: string;
}

/**
 * `balanceChange(change)` gives the statements that move an account's balance and record it in the
 * ledger with the balance it left. Run them with the store's atomic executor, alongside the rows they
 * pay for. A debit past zero fails on the balance CHECK, and so does a top-up or opening balance that
 * would pass `MAX_MINOR` (the move writes -1 instead); a second entry for the same kind and reference
 * fails on the ledger's unique key. Either way nothing of the batch is kept.
 */
export function createLedger(db: Kysely<Database>) {
  const keys = ['accountId', 'amount', 'at'] as const;
  // biome-ignore lint/suspicious/noExplicitAny: template placeholders stand in for the values
  const moveQuery = (p: Record<(typeof keys)[number], any>, capped: boolean) =>
    db
      .updateTable('accounts')
      .set({
        balance: capped
          ? sql`CASE WHEN balance + ${p.amount} <= ${MAX_MINOR} THEN balance + ${p.amount} ELSE -1 END`
          : sql`balance + ${p.amount}`,
        updated_at: p.at,
      })
      .where('id', '=', p.accountId);
  const moves = {
    plain: queryTemplate(keys, (p) => moveQuery(p, false)),
    capped: queryTemplate(keys, (p) => moveQuery(p, true)),
    cappedReturning: queryTemplate(keys, (p) => moveQuery(p, true).returningAll()),
  };
  const record = queryTemplate(['id', 'accountId', 'amount', 'kind', 'reference', 'at'], (p) =>
    insertForAccount(
      db,
      'ledger_entries',
      p.accountId,
      { id: p.id, amount: p.amount, kind: p.kind, reference: p.reference, created_at: p.at },
      { balance_after: 'balance' },
    ),
  );
  /**
   * Money the operator adds (`topup`, `initial`) is capped; sends and refunds only move what was there.
   * With `returning` (credits), the first statement returns the account row after it (none: no such account).
   */
  return function balanceChange(change: BalanceChange, options: { returning?: boolean } = {}) {
    const credit = change.kind === 'topup' || change.kind === 'initial';
    const move = credit ? (options.returning ? moves.cappedReturning : moves.capped) : moves.plain;
    return [move(change), record({ ...change, id: newId('led') })];
  };
}
