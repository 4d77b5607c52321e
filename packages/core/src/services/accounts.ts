import type { CompiledQuery, Kysely, QueryResult, Selectable, Updateable } from 'kysely';
import { type Clock, iso } from '../clock';
import { GatewayError, invalidField } from '../errors';
import { newId } from '../ids';
import { isAmount, MAX_MAJOR, toMajor, toMinor } from '../money';
import type { AccountsTable, Database } from '../storage/schema';
import type { Store } from '../storage/store';
import { createLedger } from './ledger';

/**
 * An account as the API shows it: `balance` in major units, `smart_encoding` true, false or null
 * (default). Its dashboard preferences are the preferences service's.
 */
export type AccountView = Omit<
  Selectable<AccountsTable>,
  'smart_encoding' | 'contacts_version' | 'language' | 'time_zone'
> & {
  smart_encoding: boolean | null;
};

export interface LimitsInput {
  smsPerMinute?: number | null;
  apiCallsPerHour?: number | null;
  contactOpsPerHour?: number | null;
}

const LIMIT_COLUMNS = {
  smsPerMinute: 'sms_per_minute',
  apiCallsPerHour: 'api_calls_per_hour',
  contactOpsPerHour: 'contact_ops_per_hour',
} as const;
type LimitColumn = (typeof LIMIT_COLUMNS)[keyof typeof LIMIT_COLUMNS];

const accountView = ({
  contacts_version: _,
  language: _language,
  time_zone: _zone,
  ...a
}: Selectable<AccountsTable>): AccountView => ({
  ...a,
  balance: toMajor(Number(a.balance)),
  smart_encoding: a.smart_encoding === null ? null : Number(a.smart_encoding) === 1,
});

const notFound = (id: string) => new GatewayError('NOT_FOUND', `No account ${id}`);
const badAmount = (field: string, what: string) => {
  const problem = `must have at most two decimals and be at most ${MAX_MAJOR}`;
  return invalidField(field, problem, `${what} ${problem}`);
};

/** The account's currency (ISO 4217); NOT_FOUND when there is no such account. */
export async function currencyOf(db: Kysely<Database>, accountId: string): Promise<string> {
  const row = await db
    .selectFrom('accounts')
    .select('currency')
    .where('id', '=', accountId)
    .executeTakeFirst();
  if (!row) throw notFound(accountId);
  return row.currency;
}

/** The account row a statement returned, as the API shows it; NOT_FOUND when it returned none. */
function returned(id: string, result: QueryResult<unknown> | undefined): AccountView {
  const row = result?.rows[0] as Selectable<AccountsTable> | undefined;
  if (!row) throw notFound(id);
  return accountView(row);
}

/** Accounts: each change is one guarded statement that returns the account as it left it. */
export function createAccounts({ store, clock, currency }: { store: Store; clock: Clock; currency: string }) {
  const { db } = store;
  const balanceChange = createLedger(db);

  async function getAccount(id: string): Promise<AccountView> {
    const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(id);
    return accountView(row);
  }

  /** Runs a credit's batch; one that would take the balance past the maximum fails whole, on the balance CHECK. */
  async function credit(statements: CompiledQuery[]) {
    try {
      return await store.atomic(statements);
    } catch (e) {
      if (store.violates(e, { kind: 'check', constraint: 'accounts_balance_nonnegative' }))
        throw invalidField(
          'amount',
          `would take the balance past the maximum of ${MAX_MAJOR}`,
          `The balance would pass the maximum of ${MAX_MAJOR}`,
        );
      throw e;
    }
  }

  async function update(id: string, set: Updateable<AccountsTable>): Promise<AccountView> {
    const row = await db
      .updateTable('accounts')
      .set(set)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound(id);
    return accountView(row);
  }

  return {
    getAccount,

    async listAccounts(): Promise<AccountView[]> {
      const rows = await db.selectFrom('accounts').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(accountView);
    },

    async createAccount(input: { name: string; balance?: number }): Promise<AccountView> {
      const balance = input.balance ?? 0;
      if (!isAmount(balance) || balance < 0) throw badAmount('balance', 'Initial balance, zero or more,');
      const id = newId('acc');
      const at = iso(clock.now());
      const [, moved] = await credit([
        db
          .insertInto('accounts')
          .values({ id, name: input.name, balance: 0, currency, created_at: at, updated_at: at })
          .compile(),
        ...balanceChange(
          { accountId: id, amount: toMinor(balance), kind: 'initial', reference: id, at },
          { returning: true },
        ),
      ]);
      return returned(id, moved);
    },

    async topUp(accountId: string, amountMajor: number): Promise<AccountView> {
      if (!isAmount(amountMajor) || amountMajor <= 0) throw badAmount('amount', 'A top-up, more than zero,');
      const at = iso(clock.now());
      const [moved] = await credit(
        balanceChange(
          { accountId, amount: toMinor(amountMajor), kind: 'topup', reference: null, at },
          { returning: true },
        ),
      );
      return returned(accountId, moved);
    },

    /** Turns smart encoding on or off for an account, or back to the configured default (null). */
    setSmartEncoding(accountId: string, on: boolean | null): Promise<AccountView> {
      return update(accountId, { smart_encoding: on === null ? null : on ? 1 : 0 });
    },

    /** Sets an account's own limits; null puts one back to the configured default. */
    async setLimits(accountId: string, limits: LimitsInput): Promise<AccountView> {
      const set: Partial<Record<LimitColumn, number | null>> = {};
      for (const [field, column] of Object.entries(LIMIT_COLUMNS) as [keyof LimitsInput, LimitColumn][]) {
        const value = limits[field];
        if (value === undefined) continue;
        if (value !== null && (!Number.isInteger(value) || value < 1))
          throw invalidField(column, 'must be a whole number of at least 1');
        set[column] = value;
      }
      return Object.keys(set).length === 0 ? getAccount(accountId) : update(accountId, set);
    },
  };
}
