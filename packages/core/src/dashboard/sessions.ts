import { loadPrincipal, type Principal, type PrincipalDefaults } from '../auth/principal';
import { type Clock, iso } from '../clock';
import { isLanguage, type Language } from '../domain/language';
import { randomToken } from '../ids';
import { sha256Hex } from '../sha256';
import type { Store } from '../storage/store';

export interface DashboardSession {
  principal: Principal;
  /** The token every form of this session carries (the synchronizer token against CSRF). */
  csrf: string;
  expiresAt: string;
  /** The language chosen in this session; null: the account's. */
  language: Language | null;
}

/** The form token of a session: derived from its secret token, so it needs no storage and no other secret. */
const csrfOf = async (token: string) => (await sha256Hex(`mifumo-csrf:${token}`)).slice(0, 40);

/**
 * Dashboard sessions: a random token in an HttpOnly cookie, its SHA-256 in the database with the admin
 * key it was opened with. A session is valid until it expires, is signed out, or its key is revoked or
 * expires (checked on every request, so a revoke in any process ends it at once).
 */
export function createDashboardSessions(deps: {
  store: Store;
  clock: Clock;
  ttlMs: number;
  defaults: PrincipalDefaults;
}) {
  const { store, clock, ttlMs } = deps;
  const { db } = store;

  return {
    /** Opens a session for an admin key's principal; returns the cookie's token. Sessions expired a day ago go. */
    async open(principal: Principal): Promise<{ token: string; expiresAt: string }> {
      const token = randomToken(43);
      const now = clock.now();
      const expiresAt = iso(now + ttlMs);
      await db
        .deleteFrom('dashboard_sessions')
        .where('expires_at', '<', iso(now - 86_400_000))
        .execute();
      await db
        .insertInto('dashboard_sessions')
        .values({
          id: await sha256Hex(token),
          account_id: principal.accountId,
          api_key_id: principal.keyId,
          created_at: iso(now),
          expires_at: expiresAt,
          revoked_at: null,
          language: null,
        })
        .execute();
      return { token, expiresAt };
    },

    /** The session of a cookie's token, or null when it is unknown, expired, signed out or its key revoked. */
    async find(token: string): Promise<DashboardSession | null> {
      if (!/^[0-9A-Za-z]{43}$/.test(token)) return null;
      const row = await db
        .selectFrom('dashboard_sessions')
        .select(['api_key_id', 'expires_at', 'language'])
        .where('id', '=', await sha256Hex(token))
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', iso(clock.now()))
        .executeTakeFirst();
      if (!row) return null;
      const loaded = await loadPrincipal(store, deps.defaults, {
        keyId: row.api_key_id,
        at: iso(clock.now()),
      });
      if (!loaded) return null;
      return {
        principal: loaded.principal,
        csrf: await csrfOf(token),
        expiresAt: row.expires_at,
        language: isLanguage(row.language) ? row.language : null,
      };
    },

    /** Shows a session's pages in `language` from now on (null: in its account's). */
    async setLanguage(token: string, language: Language | null) {
      await db
        .updateTable('dashboard_sessions')
        .set({ language })
        .where('id', '=', await sha256Hex(token))
        .execute();
    },

    /** Signs a session out; its cookie is worthless from then on. */
    async close(token: string) {
      await db
        .updateTable('dashboard_sessions')
        .set({ revoked_at: iso(clock.now()) })
        .where('id', '=', await sha256Hex(token))
        .where('revoked_at', 'is', null)
        .execute();
    },
  };
}

export type DashboardSessions = ReturnType<typeof createDashboardSessions>;
