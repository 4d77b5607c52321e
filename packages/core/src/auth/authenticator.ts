import { type Clock, iso } from '../clock';
import type { Store } from '../storage/store';
import { hashApiKey } from './api-key';
import { loadPrincipal, type Principal, type PrincipalDefaults } from './principal';

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
  defaults: PrincipalDefaults;
}) {
  const { store, clock, ttlMs } = deps;
  // Keyed by the key itself, so a cached request skips hashing; the hash is kept for `forget`.
  const cache = new Map<string, { principal: Principal; hash: string; expires: number }>();
  const lastUsedWritten = new Map<string, number>();

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
        principal = (await loadPrincipal(store, deps.defaults, { keyHash: hash }))?.principal ?? null;
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

    /** Drops a revoked key at once. */
    forget(keyHash: string) {
      for (const [key, entry] of cache) if (entry.hash === keyHash) cache.delete(key);
    },
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
