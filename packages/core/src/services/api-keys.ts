import { type ExpressionBuilder, type QueryResult, type Selectable, sql } from 'kysely';
import {
  generateApiKey,
  hashApiKey,
  PERMISSIONS,
  type Permission,
  parsePermissions,
  visiblePrefix,
} from '../auth/api-key';
import { type Clock, iso } from '../clock';
import { parseInstant, storedInstant } from '../domain/instant';
import { GatewayError, invalidField } from '../errors';
import { newId } from '../ids';
import { countRows } from '../storage/count-rows';
import { insertForAccount } from '../storage/for-account';
import type { ApiKeysTable, Database } from '../storage/schema';
import type { Store } from '../storage/store';
import { offsetOf, type PageRequest, pagination } from './paging';

export interface ApiKeyView {
  id: string;
  account_id: string;
  name: string;
  prefix: string;
  permissions: Permission[];
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** Refused from then on; null: never. */
  expires_at: string | null;
}

type KeyRow = Selectable<ApiKeysTable>;

const keyView = ({ key_hash: _, sealed_key: _sealed, ...k }: KeyRow): ApiKeyView => ({
  ...k,
  permissions: parsePermissions(k.permissions),
});

function normalizePermissions(input: readonly string[]): Permission[] {
  const bad = input.filter((p) => !(PERMISSIONS as readonly string[]).includes(p));
  if (bad.length || input.length === 0)
    throw invalidField(
      'permissions',
      `must be one or more of read, write, admin${bad.length ? `, not ${bad.join(', ')}` : ''}`,
      'Permissions must be one or more of read, write, admin',
    );
  return PERMISSIONS.filter((p) => input.includes(p));
}

/** `expires_at` as stored (ISO, UTC), refused unless it is a date-time with an offset, after `now`. */
function futureInstant(text: string | null, now: number): string | null {
  if (text === null) return null;
  const ms = parseInstant(text);
  if (ms === null || !/T/.test(text))
    throw invalidField('expires_at', 'must be an ISO 8601 date-time with a UTC offset');
  if (ms <= now) throw invalidField('expires_at', 'must be in the future');
  return storedInstant(ms);
}

const ADMIN = '%admin%';
const lastAdmin = () =>
  new GatewayError(
    'CONFLICT',
    'This is the account’s last admin key: create another admin key before revoking it',
    { reason: 'last_admin_key' },
  );

/** API keys: stored as SHA-256 only; the key itself is shown once, when it is made. */
export function createApiKeys({ store, clock }: { store: Store; clock: Clock }) {
  const { db } = store;

  /** Another active (not revoked, not expired) admin key of the same account than the row being updated. */
  const otherAdmin = (eb: ExpressionBuilder<Database, 'api_keys'>, at: string) =>
    eb.exists(
      eb
        .selectFrom('api_keys as other')
        .select('other.id')
        .whereRef('other.account_id', '=', 'api_keys.account_id')
        .whereRef('other.id', '<>', 'api_keys.id')
        .where('other.revoked_at', 'is', null)
        .where((o) => o.or([o('other.expires_at', 'is', null), o('other.expires_at', '>', at)]))
        .where('other.permissions', 'like', ADMIN),
    );

  async function hasAdmin(accountId: string, at: string) {
    const row = await db
      .selectFrom('api_keys')
      .select('id')
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
      .where('permissions', 'like', ADMIN)
      .executeTakeFirst();
    return row !== undefined;
  }
  return {
    /** Creates a key for an existing account and returns it in clear, the only time it is ever shown. */
    async createKey(input: {
      accountId: string;
      name: string;
      permissions: readonly string[];
      key?: string;
      /** An ISO instant in the future. */
      expiresAt?: string | null;
    }): Promise<{ key: string; record: ApiKeyView }> {
      const permissions = normalizePermissions(input.permissions);
      const expiresAt = futureInstant(input.expiresAt ?? null, clock.now());
      const key = input.key ?? generateApiKey();
      const record: KeyRow = {
        id: newId('key'),
        account_id: input.accountId,
        name: input.name,
        prefix: visiblePrefix(key),
        key_hash: await hashApiKey(key),
        permissions: permissions.join(','),
        created_at: iso(clock.now()),
        last_used_at: null,
        revoked_at: null,
        sealed_key: null,
        expires_at: expiresAt,
      };
      // Inserted only where the account exists: one statement, no read before.
      const { account_id: _, sealed_key: _sealed, ...values } = record;
      const insert = insertForAccount(db, 'api_keys', input.accountId, values).returning('id');
      let inserted: QueryResult<unknown> | undefined;
      try {
        [inserted] = await store.atomic([insert.compile()]);
      } catch (e) {
        if (store.violates(e, { kind: 'unique', table: 'api_keys' }))
          throw new GatewayError('CONFLICT', 'That key already exists', { reason: 'key_exists' });
        throw e;
      }
      if (!inserted?.rows.length) throw new GatewayError('NOT_FOUND', `No account ${input.accountId}`);
      return { key, record: keyView(record) };
    },

    /** One page of an account's keys, oldest first (the HTTP listing). */
    async pageKeys(accountId: string, page: PageRequest) {
      const mine = db.selectFrom('api_keys').where('account_id', '=', accountId);
      const total = await countRows(mine);
      const rows = await mine
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .limit(page.per_page)
        .offset(offsetOf(page))
        .execute();
      return { keys: rows.map(keyView), pagination: pagination(page, total) };
    },

    /** Every key, of one account or all (the CLI). */
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

    /**
     * Revokes a key (of `accountId` when given); returns its hash so caches can drop it. With
     * `keepOneAdmin` (requests over HTTP), the account's last active admin key is refused with
     * CONFLICT: revoking it would leave only the CLI to get back in.
     */
    async revokeKey(
      id: string,
      options: { accountId?: string; keepOneAdmin?: boolean } = {},
    ): Promise<ApiKeyView & { key_hash: string }> {
      const at = iso(clock.now());
      let q = db
        .updateTable('api_keys')
        .set({ revoked_at: at, sealed_key: null })
        .where('id', '=', id)
        .where('revoked_at', 'is', null);
      if (options.accountId !== undefined) q = q.where('account_id', '=', options.accountId);
      if (options.keepOneAdmin)
        q = q.where((eb) => eb.or([eb('permissions', 'not like', ADMIN), otherAdmin(eb, at)]));
      const row = await q.returningAll().executeTakeFirst();
      if (!row) {
        const active = await db
          .selectFrom('api_keys')
          .select('id')
          .where('id', '=', id)
          .where('revoked_at', 'is', null)
          .$if(options.accountId !== undefined, (w) => w.where('account_id', '=', options.accountId!))
          .executeTakeFirst();
        throw active ? lastAdmin() : new GatewayError('NOT_FOUND', `No active API key ${id}`);
      }
      // Two admin keys revoked at once on PostgreSQL each saw the other still active: undo when none is left.
      if (
        options.keepOneAdmin &&
        row.permissions.includes('admin') &&
        !(await hasAdmin(row.account_id, at))
      ) {
        await db
          .updateTable('api_keys')
          .set({ revoked_at: null })
          .where('id', '=', id)
          .where('revoked_at', '=', at)
          .execute();
        throw lastAdmin();
      }
      return { ...keyView(row), key_hash: row.key_hash };
    },

    /**
     * A new key with the same account, name and permissions as an active key (of `accountId` when given), in one
     * atomic step with the old key's end: revoked at once (`graceSeconds` 0) or expiring after the grace
     * period (never later than it already would). The new key expires at `expiresAt` when given (null:
     * never), else it keeps the old key's lifetime: as long after its creation as the old key's expiry
     * was after the old key's creation, or never when the old key had no expiry. Returns the new key in
     * clear (shown once) and the old one's hash, so caches can drop it.
     */
    async rotateKey(
      id: string,
      options: { accountId?: string; graceSeconds: number; expiresAt?: string | null | undefined },
    ) {
      const now = clock.now();
      const at = iso(now);
      const given = options.expiresAt === undefined ? undefined : futureInstant(options.expiresAt, now);
      const key = generateApiKey();
      const freshId = newId('key');
      const active = (eb: ExpressionBuilder<Database, 'api_keys'>) =>
        eb.and([
          eb('api_keys.id', '=', id),
          ...(options.accountId === undefined ? [] : [eb('api_keys.account_id', '=', options.accountId)]),
          eb('api_keys.revoked_at', 'is', null),
          eb.or([eb('api_keys.expires_at', 'is', null), eb('api_keys.expires_at', '>', at)]),
        ]);
      const lifetime = await db
        .selectFrom('api_keys')
        .select(['created_at', 'expires_at'])
        .where(active)
        .executeTakeFirst();
      if (!lifetime) throw new GatewayError('NOT_FOUND', `No active API key ${id}`);
      const expiresAt =
        given !== undefined
          ? given
          : lifetime.expires_at === null
            ? null
            : storedInstant(now + Date.parse(lifetime.expires_at) - Date.parse(lifetime.created_at));
      const keyHash = await hashApiKey(key);
      const graceEnd = iso(now + options.graceSeconds * 1000);
      const insert = db
        .insertInto('api_keys')
        .columns([
          'id',
          'account_id',
          'name',
          'prefix',
          'key_hash',
          'permissions',
          'created_at',
          'expires_at',
        ])
        .expression(
          db
            .selectFrom('api_keys')
            .select((eb) => [
              eb.val(freshId).as('id'),
              'account_id',
              'name',
              eb.val(visiblePrefix(key)).as('prefix'),
              eb.val(keyHash).as('key_hash'),
              'permissions',
              eb.val(at).as('created_at'),
              eb.val(expiresAt).as('expires_at'),
            ])
            .where(active),
        );
      const ends =
        options.graceSeconds === 0
          ? db.updateTable('api_keys').set({ revoked_at: at, sealed_key: null })
          : db.updateTable('api_keys').set({
              // The earlier of its own expiry and the end of the grace period (CASE: SQLite's min is
              // PostgreSQL's least).
              expires_at: sql<string>`case when expires_at is not null and expires_at < ${graceEnd} then expires_at else ${graceEnd} end`,
            });
      // Both statements select the old key as active: neither does anything when it is not.
      await store.atomic([insert.compile(), ends.where(active).compile()]);
      const rows = await db.selectFrom('api_keys').selectAll().where('id', 'in', [id, freshId]).execute();
      const fresh = rows.find((r) => r.id === freshId);
      const old = rows.find((r) => r.id === id);
      if (!fresh || !old) throw new GatewayError('NOT_FOUND', `No active API key ${id}`);
      return { key, record: keyView(fresh), replaced: keyView(old), replacedHash: old.key_hash };
    },
  };
}
