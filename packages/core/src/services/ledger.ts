import { type Kysely, sql } from 'kysely';
import { newId } from '../ids';
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
 * pay for. A debit past zero fails on the balance CHECK; a second entry for the same kind and reference
 * fails on the ledger's unique key. Either way nothing of the batch is kept.
 */
export function createLedger(db: Kysely<Database>) {
  // biome-ignore lint/suspicious/noExplicitAny: template placeholders stand in for the values
  const moveQuery = (p: Record<'accountId' | 'amount' | 'at', any>) =>
    db
      .updateTable('accounts')
      .set({ balance: sql`balance + ${p.amount}`, updated_at: p.at })
      .where('id', '=', p.accountId);
  const move = queryTemplate(['accountId', 'amount', 'at'], moveQuery);
  const moveReturning = queryTemplate(['accountId', 'amount', 'at'], (p) => moveQuery(p).returningAll());
  const record = queryTemplate(['id', 'accountId', 'amount', 'kind', 'reference', 'at'], (p) =>
    insertForAccount(
      db,
      'ledger_entries',
      p.accountId,
      { id: p.id, amount: p.amount, kind: p.kind, reference: p.reference, created_at: p.at },
      { balance_after: 'balance' },
    ),
  );
  /** With `returning`, the first statement returns the account row after the change (none: no such account). */
  return function balanceChange(change: BalanceChange, options: { returning?: boolean } = {}) {
    return [(options.returning ? moveReturning : move)(change), record({ ...change, id: newId('led') })];
  };
}
