import { type Kysely, sql } from 'kysely';
import type { Database } from './schema';

/** Tables whose rows belong to an account through an `account_id` column. */
type Owned = 'api_keys' | 'sender_ids' | 'ledger_entries' | 'inbound_numbers';

/**
 * `INSERT INTO <table> (account_id, …) SELECT id, … FROM accounts WHERE id = ?`: the row is written
 * only where its account exists, in one guarded statement with no read before it. `values` are bound
 * as given; `fromAccount` copies columns of the account row itself (the ledger's balance after a move).
 */
export function insertForAccount<T extends Owned>(
  db: Kysely<Database>,
  table: T,
  accountId: string,
  values: Record<string, unknown>,
  fromAccount: Record<string, 'balance'> = {},
) {
  const columns = ['account_id', ...Object.keys(fromAccount), ...Object.keys(values)];
  return db
    .insertInto(table)
    .columns(columns as (keyof Database[T] & string)[])
    .expression(
      db
        .selectFrom('accounts')
        .select([
          'id as account_id',
          ...Object.entries(fromAccount).map(([alias, column]) => sql.ref(`accounts.${column}`).as(alias)),
          ...Object.entries(values).map(([column, value]) => sql`${value}`.as(column)),
        ])
        .where('id', '=', accountId),
    );
}
