import { toMajor } from '../money';
import { type AccountLimits, accountLimits } from '../ratelimit/account-limits';
import type { Store } from '../storage/store';
import { type Permission, parsePermissions, timingSafeEqual } from './api-key';

/** Who a request acts as: resolved from its API key, or an account acting in process. */
export interface Principal {
  /** The API key's id; empty for an account acting in process. */
  keyId: string;
  accountId: string;
  permissions: Permission[];
  /** The account's smart-encoding setting; null for the configured default. */
  smartEncoding: boolean | null;
  limits: AccountLimits;
}

export interface PrincipalDefaults {
  limits: AccountLimits;
}

/**
 * Loads the principal of an active API key (by its hash, or its id for a dashboard session; not revoked,
 * not expired `at` that instant) or of an account acting in process (with
 * every permission), the account's balance (major units) at that moment, and whether the key is kept
 * sealed for webhooks yet. Null when there is no such key or account.
 */
export async function loadPrincipal(
  store: Store,
  defaults: PrincipalDefaults,
  by: { keyHash: string; at: string } | { keyId: string; at: string } | { accountId: string },
): Promise<{
  principal: Principal;
  balance: number;
  keySealed: boolean;
  keyExpiresAt: string | null;
} | null> {
  const { db } = store;
  const account = db
    .selectFrom('accounts')
    .select([
      'accounts.id as account_id',
      'accounts.balance',
      'accounts.smart_encoding',
      'accounts.sms_per_minute',
      'accounts.api_calls_per_hour',
      'accounts.contact_ops_per_hour',
    ]);
  const row =
    'accountId' in by
      ? await account
          .select((eb) => [
            eb.val('').as('key_id'),
            eb.val('admin').as('permissions'),
            eb.val('').as('key_hash'),
            eb.val(1).as('sealed'),
            eb.val(null).as('expires_at'),
          ])
          .where('accounts.id', '=', by.accountId)
          .executeTakeFirst()
      : await account
          .innerJoin('api_keys', 'api_keys.account_id', 'accounts.id')
          .select([
            'api_keys.id as key_id',
            'api_keys.permissions',
            'api_keys.key_hash',
            (eb) => eb('api_keys.sealed_key', 'is not', null).as('sealed'),
            'api_keys.expires_at',
          ])
          .where((eb) =>
            eb.or([eb('api_keys.expires_at', 'is', null), eb('api_keys.expires_at', '>', by.at)]),
          )
          .$call((q) =>
            'keyHash' in by
              ? q.where('api_keys.key_hash', '=', by.keyHash)
              : q.where('api_keys.id', '=', by.keyId),
          )
          .where('api_keys.revoked_at', 'is', null)
          .executeTakeFirst();
  if (!row || ('keyHash' in by && !timingSafeEqual(row.key_hash, by.keyHash))) return null;
  const principal: Principal = {
    keyId: row.key_id,
    accountId: row.account_id,
    permissions: parsePermissions(row.permissions),
    smartEncoding: row.smart_encoding === null ? null : Number(row.smart_encoding) === 1,
    limits: accountLimits(row, defaults.limits),
  };
  return {
    principal,
    balance: toMajor(Number(row.balance)),
    keySealed: Boolean(row.sealed),
    keyExpiresAt: row.expires_at as string | null,
  };
}
