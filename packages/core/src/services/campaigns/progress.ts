import { type Kysely, sql } from 'kysely';
import type { Database } from '../../storage/schema';
import { CANCELLED } from './cancel';
import type { Staging } from './staging';
import { NO_PROGRESS, type Progress } from './view';

/**
 * Recipients of campaigns by status (those still staged as queued), and what was refunded, in three
 * queries; each binds the ids once (a page of campaigns is at most 50, inside D1's 100 parameters).
 */
export async function progressOf(
  db: Kysely<Database>,
  staging: Staging,
  accountId: string,
  ids: string[],
): Promise<Map<string, Progress>> {
  const out = new Map<string, Progress>(ids.map((id) => [id, { ...NO_PROGRESS }]));
  if (ids.length === 0) return out;
  const n = (condition: ReturnType<typeof sql>) => sql<number>`sum(case when ${condition} then 1 else 0 end)`;
  const counts = await db
    .selectFrom('recipients as r')
    .innerJoin('messages as m', 'm.id', 'r.message_id')
    .where('m.account_id', '=', accountId)
    .where('m.campaign_id', 'in', ids)
    .groupBy('m.campaign_id')
    .select([
      'm.campaign_id',
      n(sql`r.status in ('scheduled', 'queued', 'sending')`).as('queued'),
      n(sql`r.status = 'sent'`).as('sent'),
      n(sql`r.status = 'delivered'`).as('delivered'),
      n(sql`r.status = 'failed' and (r.error_code is null or r.error_code <> ${CANCELLED})`).as('failed'),
      n(sql`r.status = 'failed' and r.error_code = ${CANCELLED}`).as('cancelled'),
      n(sql`r.status = 'expired'`).as('expired'),
    ])
    .execute();
  for (const c of counts)
    Object.assign(out.get(c.campaign_id!)!, {
      queued: Number(c.queued),
      sent: Number(c.sent),
      delivered: Number(c.delivered),
      failed: Number(c.failed),
      expired: Number(c.expired),
      cancelled: Number(c.cancelled),
    });
  for (const [id, n] of await staging.counts(accountId, ids)) {
    const p = out.get(id)!;
    p.staged = n;
    p.queued += n;
  }
  // Refunds: a recipient no carrier took (referenced by its id), and each cancel (`cancel:<id>:<token>`).
  const refunds = await db
    .selectFrom('ledger_entries as l')
    .leftJoin('recipients as r', (j) => j.onRef('r.id', '=', 'l.reference'))
    .leftJoin('messages as m', 'm.id', 'r.message_id')
    .where('l.account_id', '=', accountId)
    .where('l.kind', '=', 'refund')
    .where((eb) => eb.or([eb('m.campaign_id', 'in', ids), eb('l.reference', 'like', 'cancel:%')]))
    .select(['l.reference', 'l.amount', 'm.campaign_id'])
    .execute();
  for (const r of refunds) {
    const p = out.get(r.campaign_id ?? r.reference!.split(':')[1]!);
    if (p) p.refunded += Number(r.amount);
  }
  return out;
}
