import { type Kysely, sql } from 'kysely';
import { newId } from '../ids';
import type { Database, LedgerEntriesTable } from '../storage/schema';

/**
 * The statements that move an account's balance by `amount` (minor units) and record it in the ledger,
 * with the balance it left. Run them with the store's atomic executor, alongside the rows they pay for.
 * A debit past zero fails on the balance CHECK; a second entry for the same kind and reference fails on
 * the ledger's unique key. Either way nothing of the batch is kept.
 */
export function balanceChange(
  db: Kysely<Database>,
  change: {
    accountId: string;
    amount: number;
    kind: LedgerEntriesTable['kind'];
    reference: string | null;
    at: string;
  },
) {
  const { accountId, amount, kind, reference, at } = change;
  return [
    db
      .updateTable('accounts')
      .set({ balance: sql`balance + ${amount}`, updated_at: at })
      .where('id', '=', accountId)
      .compile(),
    db
      .insertInto('ledger_entries')
      .columns(['id', 'account_id', 'amount', 'balance_after', 'kind', 'reference', 'created_at'])
      .expression((eb) =>
        eb
          .selectFrom('accounts')
          .select([
            sql<string>`${newId('led')}`.as('id'),
            'id as account_id',
            sql<number>`${amount}`.as('amount'),
            'balance as balance_after',
            sql<string>`${kind}`.as('kind'),
            sql<string | null>`${reference}`.as('reference'),
            sql<string>`${at}`.as('created_at'),
          ])
          .where('id', '=', accountId),
      )
      .compile(),
  ];
}
