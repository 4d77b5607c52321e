import {
  generateApiKey,
  hashApiKey,
  PERMISSIONS,
  type Permission,
  parsePermissions,
  visiblePrefix,
} from '../auth/api-key';
import { type Clock, iso, systemClock } from '../clock';
import { isWellFormedSenderId } from '../domain/sender-id';
import { GatewayError } from '../errors';
import { newId } from '../ids';
import { isAmount, toMajor, toMinor } from '../money';
import type { StorageDriver } from '../storage/driver';
import type { AccountsTable, ApiKeysTable } from '../storage/schema';
import { createStore, type Store } from '../storage/store';
import { createLedger } from './ledger';

/** An account as the API shows it: `balance` in major units, `smart_encoding` true, false or null (default). */
export type AccountView = Omit<AccountsTable, 'smart_encoding'> & { smart_encoding: boolean | null };

export interface ApiKeyView {
  id: string;
  account_id: string;
  name: string;
  prefix: string;
  permissions: Permission[];
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const accountView = (a: AccountsTable): AccountView => ({
  ...a,
  balance: toMajor(Number(a.balance)),
  smart_encoding: a.smart_encoding === null ? null : Number(a.smart_encoding) === 1,
});

const keyView = ({ key_hash: _, ...k }: ApiKeysTable): ApiKeyView => ({
  ...k,
  permissions: parsePermissions(k.permissions),
});

export function normalizePermissions(input: readonly string[]): Permission[] {
  const bad = input.filter((p) => !(PERMISSIONS as readonly string[]).includes(p));
  if (bad.length || input.length === 0)
    throw new GatewayError('VALIDATION_ERROR', 'Permissions must be one or more of read, write, admin', {
      invalid: bad,
    });
  return PERMISSIONS.filter((p) => input.includes(p));
}

/** Accounts, API keys and sender IDs: what the CLI, the bootstrap and the key routes manage. */
export function createAdmin(options: { storage: StorageDriver; clock?: Clock; currency: string }) {
  return adminOn({
    store: createStore(options.storage),
    clock: options.clock ?? systemClock,
    currency: options.currency,
  });
}

export function adminOn({ store, clock, currency }: { store: Store; clock: Clock; currency: string }) {
  const { db } = store;
  const balanceChange = createLedger(db);

  async function getAccount(id: string): Promise<AccountView> {
    const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new GatewayError('NOT_FOUND', `No account ${id}`);
    return accountView(row);
  }

  async function topUp(accountId: string, amountMajor: number): Promise<AccountView> {
    if (!isAmount(amountMajor) || amountMajor <= 0)
      throw new GatewayError('VALIDATION_ERROR', 'Amount must be positive with at most two decimals');
    await getAccount(accountId);
    const at = iso(clock.now());
    await store.atomic(
      balanceChange({ accountId, amount: toMinor(amountMajor), kind: 'topup', reference: null, at }),
    );
    return getAccount(accountId);
  }

  async function addSenderId(accountId: string, senderId: string): Promise<void> {
    if (!isWellFormedSenderId(senderId))
      throw new GatewayError(
        'INVALID_SENDER_ID',
        'A sender ID is 1-11 letters/digits (with a letter) or up to 15 digits',
        { sender_id: senderId },
      );
    await getAccount(accountId);
    await db
      .insertInto('sender_ids')
      .values({ account_id: accountId, sender_id: senderId, created_at: iso(clock.now()) })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  return {
    getAccount,
    topUp,
    addSenderId,

    async createAccount(input: { name: string; balance?: number }): Promise<AccountView> {
      const id = newId('acc');
      const at = iso(clock.now());
      const balance = input.balance ?? 0;
      if (!isAmount(balance) || balance < 0)
        throw new GatewayError('VALIDATION_ERROR', 'Initial balance must be zero or more');
      await store.atomic([
        db
          .insertInto('accounts')
          .values({
            id,
            name: input.name,
            balance: 0,
            currency,
            smart_encoding: null,
            sms_per_minute: null,
            api_calls_per_hour: null,
            contact_ops_per_hour: null,
            created_at: at,
            updated_at: at,
          })
          .compile(),
        ...balanceChange({ accountId: id, amount: toMinor(balance), kind: 'initial', reference: id, at }),
      ]);
      return getAccount(id);
    },

    async listAccounts(): Promise<AccountView[]> {
      const rows = await db.selectFrom('accounts').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(accountView);
    },

    /** Creates a key and returns it in clear, the only time it is ever shown. */
    async createKey(input: {
      accountId: string;
      name: string;
      permissions: readonly string[];
      key?: string;
    }): Promise<{ key: string; record: ApiKeyView }> {
      const permissions = normalizePermissions(input.permissions);
      await getAccount(input.accountId);
      const key = input.key ?? generateApiKey();
      const record: ApiKeysTable = {
        id: newId('key'),
        account_id: input.accountId,
        name: input.name,
        prefix: visiblePrefix(key),
        key_hash: await hashApiKey(key),
        permissions: permissions.join(','),
        created_at: iso(clock.now()),
        last_used_at: null,
        revoked_at: null,
      };
      try {
        await store.atomic([db.insertInto('api_keys').values(record).compile()]);
      } catch (e) {
        if (store.violates(e, { kind: 'unique', table: 'api_keys' }))
          throw new GatewayError('CONFLICT', 'That key already exists');
        throw e;
      }
      return { key, record: keyView(record) };
    },

    async listKeys(accountId?: string): Promise<ApiKeyView[]> {
      let q = db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id');
      if (accountId !== undefined) q = q.where('account_id', '=', accountId);
      return (await q.execute()).map(keyView);
    },

    async countKeys(): Promise<number> {
      const row = await db
        .selectFrom('api_keys')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /** Revokes a key (of `accountId` when given); returns its hash so caches can drop it. */
    async revokeKey(id: string, accountId?: string): Promise<ApiKeyView & { key_hash: string }> {
      let q = db
        .updateTable('api_keys')
        .set({ revoked_at: iso(clock.now()) })
        .where('id', '=', id)
        .where('revoked_at', 'is', null);
      if (accountId !== undefined) q = q.where('account_id', '=', accountId);
      const row = await q.returningAll().executeTakeFirst();
      if (!row) throw new GatewayError('NOT_FOUND', `No active API key ${id}`);
      return { ...keyView(row), key_hash: row.key_hash };
    },

    /** Turns smart encoding on or off for an account, or back to the configured default (null). */
    async setSmartEncoding(accountId: string, on: boolean | null): Promise<AccountView> {
      await getAccount(accountId);
      await db
        .updateTable('accounts')
        .set({ smart_encoding: on === null ? null : on ? 1 : 0 })
        .where('id', '=', accountId)
        .execute();
      return getAccount(accountId);
    },

    /** Sets an account's own limits; null puts one back to the configured default. */
    async setLimits(
      accountId: string,
      limits: {
        smsPerMinute?: number | null;
        apiCallsPerHour?: number | null;
        contactOpsPerHour?: number | null;
      },
    ): Promise<AccountView> {
      const columns = {
        smsPerMinute: 'sms_per_minute',
        apiCallsPerHour: 'api_calls_per_hour',
        contactOpsPerHour: 'contact_ops_per_hour',
      } as const;
      const set: Partial<Record<(typeof columns)[keyof typeof columns], number | null>> = {};
      for (const [field, column] of Object.entries(columns) as [
        keyof typeof columns,
        (typeof columns)[keyof typeof columns],
      ][]) {
        const value = limits[field];
        if (value === undefined) continue;
        if (value !== null && (!Number.isInteger(value) || value < 1))
          throw new GatewayError('VALIDATION_ERROR', `${column} must be a whole number of at least 1`, {
            field: column,
          });
        set[column] = value;
      }
      await getAccount(accountId);
      if (Object.keys(set).length)
        await db.updateTable('accounts').set(set).where('id', '=', accountId).execute();
      return getAccount(accountId);
    },

    async listSenderIds(accountId: string): Promise<string[]> {
      await getAccount(accountId);
      const rows = await db
        .selectFrom('sender_ids')
        .select('sender_id')
        .where('account_id', '=', accountId)
        .orderBy('sender_id')
        .execute();
      return rows.map((r) => r.sender_id);
    },
  };
}

export type Admin = ReturnType<typeof adminOn>;
