import type { QueryResult } from 'kysely';
import type { DeliveryReport } from '../carriers/contract';
import { iso } from '../clock';
import type { Store } from '../storage/store';
import { queryTemplate } from '../storage/template';
import type { Outbox } from '../webhooks/outbox';
import type { Also, DeliveryError } from './transition-step';

/**
 * What ends a `sent` recipient: its carrier's final reports, kept per part (`failed` with its first
 * failed part, `delivered` with its last delivered one, so the first final outcome wins), or no report
 * in time (`expired`).
 */
export function createFinalTransitions(store: Store, outbox: Outbox) {
  const { db } = store;

  /** A part's first final report is kept; its recipient then moves below. */
  const partUpdate = queryTemplate(['carrierId', 'ref', 'status'], (p) =>
    db
      .updateTable('carrier_refs')
      .set({ status: p.status })
      .where('carrier_id', '=', p.carrierId)
      .where('carrier_message_id', '=', p.ref)
      .where('status', 'is', null)
      .returning('recipient_id'),
  );
  const reportColumns = ['carrierId', 'ref', 'deliveredAt', 'failedAt', 'code', 'message', 'at'] as const;
  // biome-ignore lint/suspicious/noExplicitAny: placeholders stand in for column values
  const finalUpdate = (p: Record<(typeof reportColumns)[number], any>, status: 'delivered' | 'failed') =>
    db
      .updateTable('recipients')
      .set({
        status,
        delivered_at: p.deliveredAt,
        failed_at: p.failedAt,
        error_code: p.code,
        error_message: p.message,
        updated_at: p.at,
      })
      // The recipient whose part this is, only while that part holds this status: a contradicting
      // duplicate moves nothing.
      .where('id', '=', (eb) =>
        eb
          .selectFrom('carrier_refs')
          .select('recipient_id')
          .where('carrier_id', '=', p.carrierId)
          .where('carrier_message_id', '=', p.ref)
          .where('status', '=', status),
      )
      .where('status', '=', 'sent');
  /** Failed as soon as any part is. */
  const failedReport = queryTemplate(reportColumns, (p) => finalUpdate(p, 'failed').returning('id'));
  /** Delivered once no part is left without a delivered report. */
  const deliveredReport = queryTemplate(reportColumns, (p) =>
    finalUpdate(p, 'delivered')
      .where(({ not, exists, selectFrom, ref }) =>
        not(
          exists(
            selectFrom('carrier_refs')
              .select('recipient_id')
              .whereRef('recipient_id', '=', ref('recipients.id'))
              .where((eb) => eb.or([eb('status', 'is', null), eb('status', '!=', 'delivered')])),
          ),
        ),
      )
      .returning('id'),
  );

  return {
    /**
     * Up to `limit` recipients `sent` before `cutoff` with no final report since: `expired` with
     * `error`, and their events, in one atomic step (not refunded: the carrier took them). Returns how
     * many it looked at (`limit` means there may be more).
     */
    async expireUnreported(
      cutoff: number,
      error: DeliveryError,
      now: number,
      limit: number,
    ): Promise<number> {
      const ids = (
        await db
          .selectFrom('recipients')
          .select('id')
          .where('status', '=', 'sent')
          .where('sent_at', '<', iso(cutoff))
          .orderBy('sent_at')
          .limit(limit)
          .execute()
      ).map((r) => r.id);
      if (ids.length === 0) return 0;
      const at = iso(now);
      await store.atomic([
        db
          .updateTable('recipients')
          .set({
            status: 'expired',
            expired_at: at,
            error_code: error.code,
            error_message: error.message,
            updated_at: at,
          })
          .where('id', 'in', ids)
          .where('status', '=', 'sent') // a report that came meanwhile wins
          .compile(),
        outbox.expired(ids, now),
      ]);
      return ids.length;
    },

    /**
     * A carrier's final report on the part stored as `ref`: `part` is false when no such part is
     * waiting for one (unknown id, or already reported); `recipient` says whether its recipient became
     * final with it. One atomic step.
     */
    async report(
      carrierId: string,
      ref: string,
      report: DeliveryReport,
      now: number,
      also: Also = [],
    ): Promise<{ part: boolean; recipient: boolean }> {
      const at = iso(report.at ?? now);
      const delivered = report.status === 'delivered';
      const values = {
        carrierId,
        ref,
        deliveredAt: delivered ? at : null,
        failedAt: delivered ? null : at,
        code: delivered ? null : (report.errorCode ?? 'UNDELIVERED'),
        message: delivered ? null : (report.errorMessage ?? 'The carrier reported the message undelivered'),
        at: iso(now),
      };
      const [part, recipient] = (await store.atomic([
        partUpdate({ carrierId, ref, status: report.status }),
        delivered ? deliveredReport(values) : failedReport(values),
        outbox.part(carrierId, ref, report.status, at, now),
        ...also,
      ])) as QueryResult<unknown>[];
      return { part: part?.rows.length === 1, recipient: recipient?.rows.length === 1 };
    },
  };
}
