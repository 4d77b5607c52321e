import { type Kysely, sql } from 'kysely';
import type { Database } from '../../storage/schema';

/** Why a campaign's recipients failed or expired: one row a code, most first, with one of its messages. */
export interface FailureReason {
  status: 'failed' | 'expired';
  error_code: string | null;
  count: number;
  /** One recipient's error message of that code (the carrier's words, or the gateway's). */
  message: string | null;
}

/** A campaign's failed and expired recipients grouped by their error code (the campaign is the caller's to check). */
export async function failureReasons(
  db: Kysely<Database>,
  accountId: string,
  campaignId: string,
): Promise<FailureReason[]> {
  const rows = await db
    .selectFrom('recipients as r')
    .innerJoin('messages as m', 'm.id', 'r.message_id')
    .where('m.account_id', '=', accountId)
    .where('m.campaign_id', '=', campaignId)
    .where('r.status', 'in', ['failed', 'expired'])
    .groupBy(['r.status', 'r.error_code'])
    .select([
      'r.status',
      'r.error_code',
      (eb) => eb.fn.countAll<number>().as('n'),
      sql<string | null>`max(r.error_message)`.as('message'),
    ])
    .execute();
  return rows
    .map((r) => ({
      status: r.status as FailureReason['status'],
      error_code: r.error_code,
      count: Number(r.n),
      message: r.message,
    }))
    .sort((a, b) => b.count - a.count || String(a.error_code).localeCompare(String(b.error_code)));
}
