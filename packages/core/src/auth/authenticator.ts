import { type Clock, iso } from '../clock';
import type { Store } from '../storage/store';
import type { Sealer } from '../webhooks/sealer';
import { hashApiKey } from './api-key';
import { loadPrincipal, type Principal, type PrincipalDefaults } from './principal';

const MAX_CACHED = 10_000;
/** `last_used_at` is written at most this often per key, so reads stay reads. */
const LAST_USED_EVERY_MS = 60_000;

/**
 * Resolves API keys to principals. Verified keys are cached for `ttlMs`; `forget` drops
 * them at once (a revoke in this process), other processes sharing the database see it within `ttlMs`.
 * A key is stored only as its hash, so the first time a key is seen it is also kept sealed (AES-GCM
 * with the server secret) for the Bearer header of its messages' webhooks.
 */
export function createAuthenticator(deps: {
  store: Store;
  clock: Clock;
  ttlMs: number;
  defaults: PrincipalDefaults;
  sealer: Sealer;
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

  async function seal(keyId: string, apiKey: string) {
    await store.db
      .updateTable('api_keys')
      .set({ sealed_key: await deps.sealer.seal(apiKey, keyId) })
      .where('id', '=', keyId)
      .where('sealed_key', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
  }

  return {
    async authenticate(apiKey: string): Promise<Principal | null> {
      const now = clock.now();
      const hit = cache.get(apiKey);
      let principal = hit && hit.expires > now ? hit.principal : null;
      if (!principal) {
        const hash = await hashApiKey(apiKey);
        const loaded = await loadPrincipal(store, deps.defaults, { keyHash: hash, at: iso(now) });
        if (!loaded) {
          cache.delete(apiKey);
          return null;
        }
        principal = loaded.principal;
        if (!loaded.keySealed) await seal(principal.keyId, apiKey);
        if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
        // Cached no longer than the key itself lives.
        const keyEnds =
          loaded.keyExpiresAt === null ? Number.POSITIVE_INFINITY : Date.parse(loaded.keyExpiresAt);
        cache.set(apiKey, { principal, hash, expires: Math.min(now + ttlMs, keyEnds) });
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
