import { iso } from '../../clock';
import { GatewayError } from '../../errors';
import { sha256Hex } from '../../sha256';
import type { Store } from '../../storage/store';
import { queryTemplate } from '../../storage/template';

/** SHA-256 of a request's JSON, to tell a true retry from another request reusing the key. */
export const fingerprint = (request: unknown): Promise<string> => sha256Hex(JSON.stringify(request));

/**
 * `Idempotency-Key` on a send or a campaign (one key space per account): the first request with a key
 * is stored with its response in the same atomic batch as what it creates; a retry with the same key
 * and body gets that response back and creates nothing; the same key with another body is a CONFLICT.
 */
export function createIdempotency(store: Store) {
  const { db } = store;
  const insert = queryTemplate(['account_id', 'key', 'fingerprint', 'response', 'created_at'], (p) =>
    db.insertInto('idempotency_keys').values(p),
  );
  return {
    async replay<T>(accountId: string, key: string, print: string): Promise<T | null> {
      const row = await db
        .selectFrom('idempotency_keys')
        .select(['fingerprint', 'response'])
        .where('account_id', '=', accountId)
        .where('key', '=', key)
        .executeTakeFirst();
      if (!row) return null;
      if (row.fingerprint !== print)
        throw new GatewayError('CONFLICT', 'This Idempotency-Key was used with a different request', {
          reason: 'idempotency_key_reused',
          idempotency_key: key,
        });
      return JSON.parse(row.response) as T;
    },
    record(accountId: string, key: string, print: string, response: unknown, now: number) {
      return insert({
        account_id: accountId,
        key,
        fingerprint: print,
        response: JSON.stringify(response),
        created_at: iso(now),
      });
    },
  };
}
