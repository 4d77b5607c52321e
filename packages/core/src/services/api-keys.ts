import type { ExpressionBuilder, QueryResult, Selectable } from 'kysely';
import {
  generateApiKey,
  hashApiKey,
  PERMISSIONS,
  type Permission,
  parsePermissions,
  visiblePrefix,
} from '../auth/api-key';
import { type Clock, iso } from '../clock';
import { GatewayError } from '../errors';
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
}

type KeyRow = Selectable<ApiKeysTable>;

const keyView = ({ key_hash: _, sealed_key: _sealed, ...k }: KeyRow): ApiKeyView => ({
  ...k,
  permissions: parsePermissions(k.permissions),
});

function normalizePermissions(input: readonly string[]): Permission[] {
  const bad = input.filter((p) => !(PERMISSIONS as readonly string[]).includes(p));
  if (bad.length || input.length === 0)
    throw new GatewayError('VALIDATION_ERROR', 'Permissions must be one or more of read, write, admin', {
      invalid: bad,
    });
  return PERMISSIONS.filter((p) => input.includes(p));
}

const ADMIN = '%admin%';
const lastAdmin = () =>
  new GatewayError(
    'CONFLICT',
    'This is the account’s last admin key: create another admin key before revoking it',
    {
      reason: 'last_admin_key',
    },
  );

/** API keys: stored as SHA-256 only; the key itself is shown once, when it is made. */
export function createApiKeys({ store, clock }: { store: Store; clock: Clock }) {
  const { db } = store;

  /** Another active admin key of the same account than the row being updated. */
  const otherAdmin = (eb: ExpressionBuilder<Database, 'api_keys'>) =>
    eb.exists(
      eb
        .selectFrom('api_keys as other')
        .select('other.id')
        .whereRef('other.account_id', '=', 'api_keys.account_id')
        .whereRef('other.id', '<>', 'api_keys.id')
        .where('other.revoked_at', 'is', null)
        .where('other.permissions', 'like', ADMIN),
    );

  async function hasAdmin(accountId: string) {
    const row = await db
      .selectFrom('api_keys')
      .select('id')
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
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
    }): Promise<{ key: string; record: ApiKeyView }> {
      const permissions = normalizePermissions(input.permissions);
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
      };
      // Inserted only where the account exists: one statement, no read before.
      const { account_id: _, sealed_key: _sealed, ...values } = record;
      const insert = insertForAccount(db, 'api_keys', input.accountId, values).returning('id');
      let inserted: QueryResult<unknown> | undefined;
      try {
        [inserted] = await store.atomic([insert.compile()]);
      } catch (e) {
        if (store.violates(e, { kind: 'unique', table: 'api_keys' }))
          throw new GatewayError('CONFLICT', 'That key already exists');
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
        q = q.where((eb) => eb.or([eb('permissions', 'not like', ADMIN), otherAdmin(eb)]));
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
      if (options.keepOneAdmin && row.permissions.includes('admin') && !(await hasAdmin(row.account_id))) {
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
  };
}
