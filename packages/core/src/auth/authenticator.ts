import { type Clock, iso } from '../clock';
import { type AccountLimits, accountLimits } from '../ratelimit/account-limits';
import type { Store } from '../storage/store';
import { hashApiKey, type Permission, parsePermissions, timingSafeEqual } from './api-key';

/** Who a request acts as: resolved from its API key. */
export interface Principal {
  keyId: string;
  accountId: string;
  permissions: Permission[];
  /** Sender IDs this account may use (its own plus the configured defaults). */
  senderIds: ReadonlySet<string>;
  /** The account's smart-encoding setting; null for the configured default. */
  smartEncoding: boolean | null;
  limits: AccountLimits;
}

const MAX_CACHED = 10_000;
/** `last_used_at` is written at most this often per key, so reads stay reads. */
const LAST_USED_EVERY_MS = 60_000;

/**
 * Resolves API keys to principals. Verified keys are cached for `ttlMs`; `forget` drops
 * them at once (a revoke in this process), other processes sharing the database see it within `ttlMs`.
 */
export function createAuthenticator(deps: {
  store: Store;
  clock: Clock;
  ttlMs: number;
  defaultSenderIds: readonly string[];
  defaultLimits: AccountLimits;
}) {
  const { store, clock, ttlMs } = deps;
  // Keyed by the key itself, so a cached request skips hashing; the hash is kept for `forget`.
  const cache = new Map<string, { principal: Principal; hash: string; expires: number }>();
  const lastUsedWritten = new Map<string, number>();

  async function load(hash: string): Promise<Principal | null> {
    const key = await store.db
      .selectFrom('api_keys')
      .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
      .select([
        'api_keys.id',
        'api_keys.account_id',
        'api_keys.permissions',
        'api_keys.key_hash',
        'accounts.smart_encoding',
        'accounts.sms_per_minute',
        'accounts.api_calls_per_hour',
        'accounts.contact_ops_per_hour',
      ])
      .where('api_keys.key_hash', '=', hash)
      .where('api_keys.revoked_at', 'is', null)
      .executeTakeFirst();
    if (!key || !timingSafeEqual(key.key_hash, hash)) return null;
    const own = await store.db
      .selectFrom('sender_ids')
      .select('sender_id')
      .where('account_id', '=', key.account_id)
      .execute();
    return {
      keyId: key.id,
      accountId: key.account_id,
      permissions: parsePermissions(key.permissions),
      senderIds: new Set([...deps.defaultSenderIds, ...own.map((r) => r.sender_id)]),
      smartEncoding: key.smart_encoding === null ? null : Number(key.smart_encoding) === 1,
      limits: accountLimits(key, deps.defaultLimits),
    };
  }

  async function touch(keyId: string, now: number) {
    const last = lastUsedWritten.get(keyId);
    if (last !== undefined && now - last < LAST_USED_EVERY_MS) return;
    lastUsedWritten.set(keyId, now);
    await store.db
      .updateTable('api_keys')
      .set({ last_used_at: iso(now) })
      .where('id', '=', keyId)
      .execute();
  }

  return {
    async authenticate(apiKey: string): Promise<Principal | null> {
      const now = clock.now();
      const hit = cache.get(apiKey);
      let principal = hit && hit.expires > now ? hit.principal : null;
      if (!principal) {
        const hash = await hashApiKey(apiKey);
        principal = await load(hash);
        if (!principal) {
          cache.delete(apiKey);
          return null;
        }
        if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
        cache.set(apiKey, { principal, hash, expires: now + ttlMs });
      }
      await touch(principal.keyId, now);
      return principal;
    },

    /** Whether this exact key was verified before (and not revoked since): it is no guess. */
    isKnown(apiKey: string) {
      return cache.has(apiKey);
    },

    /** Drops a revoked key at once. */
    forget(keyHash: string) {
      for (const [key, entry] of cache) if (entry.hash === keyHash) cache.delete(key);
    },
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
