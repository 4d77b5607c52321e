import {
  type CompiledQuery,
  type ExpressionBuilder,
  type QueryResult,
  type Selectable,
  sql,
  type UpdateObject,
} from 'kysely';
import type { DeliveryReport } from '../carriers/contract';
import { iso } from '../clock';
import { createLedger } from '../services/ledger';
import { createRowInserter } from '../storage/insert-rows';
import type { Database, MessagesTable } from '../storage/schema';
import type { Store } from '../storage/store';
import { queryTemplate } from '../storage/template';
import type { Outbox } from '../webhooks/outbox';

/** A recipient taken from the outbox by one dispatcher. */
export interface Claimed {
  id: string;
  message_id: string;
  account_id: string;
  phone: string;
  operator: string | null;
  attempts: number;
  cost: number;
}

/** What a dispatcher needs of a claimed recipient's message (and, for a reply, the carrier its inbound message came by). */
export type ClaimedMessage = Pick<
  Selectable<MessagesTable>,
  | 'id'
  | 'sender_id'
  | 'body'
  | 'national_language'
  | 'valid_until'
  | 'traffic_class'
  | 'reply_to'
  | 'created_at'
> & { reply_carrier_id: string | null };

export interface DeliveryError {
  code: string;
  message: string;
}

/** Statements a caller adds to a transition's atomic step (a held report's removal). */
type Also = readonly CompiledQuery[];

/**
 * Every change of a recipient's delivery status, each one guarded statement run in one atomic step with
 * what goes with it (carrier ids, a refund, the webhook event, and whatever the caller adds in `also`):
 *
 *   queued|scheduled ─claim─▶ sending ─sent─▶ sent ─report─▶ delivered | failed
 *                               │  │                 └─no report in time─▶ expired
 *                               │  ├─retry─▶ queued (later)
 *                               │  └─defer─▶ queued (later, attempt not counted: paced, quiet hours, paused)
 *                               ├─failed─▶ failed (refunded)
 *                               └─past its validity─▶ expired (refunded)
 *
 * A claim is guarded by its token, so only the dispatcher holding it can end it. Reports are kept per
 * part: a recipient that is `sent` becomes `failed` with its first failed part, `delivered` with its
 * last delivered one, so the first final outcome wins.
 */
export function createTransitions(store: Store, outbox: Outbox) {
  const { db } = store;
  const balanceChange = createLedger(db);
  const insertRefs = createRowInserter(
    db,
    'carrier_refs',
    ['carrier_id', 'carrier_message_id', 'recipient_id'],
    store.maxBindParams,
    // An SMSC that restarts counts its ids from the start again: an id resolves to the latest submission
    // that got it, and the older one it superseded waits for no report under it any more.
    (oc) =>
      oc
        .columns(['carrier_id', 'carrier_message_id'])
        .doUpdateSet((eb) => ({ recipient_id: eb.ref('excluded.recipient_id'), status: null })),
  );

  const claimable = (now: string) => (eb: ExpressionBuilder<Database, 'recipients'>) =>
    eb.or([
      eb.and([eb('status', 'in', ['queued', 'scheduled']), eb('next_attempt_at', '<=', now)]),
      eb.and([eb('status', '=', 'sending'), eb('claim_expires_at', '<', now)]),
    ]);

  const held = (p: { id: string; token: string }) => (eb: ExpressionBuilder<Database, 'recipients'>) =>
    eb.and([eb('id', '=', p.id), eb('claim_token', '=', p.token)]);
  /** Ends a claim with `fields` (the new status and its columns), only while its dispatcher still holds it. */
  const releaseClaim = <K extends string>(
    keys: readonly K[],
    // biome-ignore lint/suspicious/noExplicitAny: placeholders stand in for column values
    fields: (p: Record<K | 'at', any>) => UpdateObject<Database, 'recipients'>,
  ) =>
    queryTemplate(['id', 'token', 'at', ...keys], (p) =>
      db
        .updateTable('recipients')
        .set({ claim_token: null, claim_expires_at: null, updated_at: p.at, ...fields(p) })
        .where(held(p)),
    );
  const sentUpdate = releaseClaim(['carrierId', 'ref'], (p) => ({
    status: 'sent',
    carrier_id: p.carrierId,
    carrier_message_id: p.ref,
    sent_at: p.at,
    error_code: null,
    error_message: null,
  }));
  const retryUpdate = releaseClaim(['next', 'code', 'message'], (p) => ({
    status: 'queued',
    next_attempt_at: p.next,
    error_code: p.code,
    error_message: p.message,
  }));
  const deferUpdate = releaseClaim(['next'], (p) => ({
    status: 'queued',
    next_attempt_at: p.next,
    attempts: sql<number>`attempts - 1`,
  }));
  const failedUpdate = releaseClaim(['code', 'message'], (p) => ({
    status: 'failed',
    failed_at: p.at,
    error_code: p.code,
    error_message: p.message,
  }));
  const expiredUpdate = releaseClaim(['code', 'message'], (p) => ({
    status: 'expired',
    expired_at: p.at,
    error_code: p.code,
    error_message: p.message,
  }));
  /** Ends a claim that never reached a carrier with `update` and its `event`, refunding the recipient's cost. */
  const endRefunded =
    (update: typeof failedUpdate, event: 'failed' | 'expired') =>
    (r: Claimed, token: string, error: DeliveryError, now: number, also: Also = []) => {
      const at = iso(now);
      return store.atomic([
        update({ id: r.id, token, ...error, at }),
        ...balanceChange({
          accountId: r.account_id,
          amount: Number(r.cost),
          kind: 'refund',
          reference: r.id,
          at,
        }),
        outbox.recipient(r.id, event, at, now),
        ...also,
      ]);
    };
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

  /** Up to `limit` due recipients (of one message, with `messageId`) for `token`; see `claim`. */
  const claimQuery = (oneMessage: boolean) =>
    queryTemplate(['token', 'expires', 'at', 'limit', 'messageId'], (p) => {
      const due = db
        .selectFrom('recipients')
        .select('id')
        .where(claimable(p.at))
        .$if(oneMessage, (q) => q.where('message_id', '=', p.messageId))
        .orderBy('next_attempt_at')
        .limit(p.limit);
      return (
        db
          .updateTable('recipients')
          .set({
            status: 'sending',
            claim_token: p.token,
            claim_expires_at: p.expires,
            attempts: sql`attempts + 1`,
            updated_at: p.at,
          })
          .where(
            store.skipLocked
              ? // Rows another dispatcher is claiming are passed over, not waited for: a claim waiting
                // for a group that held them, while its own group held rows that group wanted next,
                // deadlocked across processes. The ids are taken once (an array): a locking subquery
                // run again per row would pass over the rows this update changed and take the next.
                sql<boolean>`id = any(array(${due.forUpdate().skipLocked()}))`
              : (eb) => eb('id', 'in', due),
          )
          // Re-checked on the row itself: a concurrent claimer cannot take it twice.
          .where(claimable(p.at))
          .returning(['id', 'message_id', 'account_id', 'phone', 'operator', 'attempts', 'cost'])
      );
    });
  const claimAny = claimQuery(false);
  const claimOfMessage = claimQuery(true);
  /** The messages of what a claim took, read in the claim's own atomic step. */
  const claimedMessages = queryTemplate(['token'], (p) =>
    db
      .selectFrom('messages as m')
      .leftJoin('inbound_messages as i', 'i.id', 'm.reply_to')
      .select([
        'm.id',
        'm.sender_id',
        'm.body',
        'm.national_language',
        'm.valid_until',
        'm.traffic_class',
        'm.reply_to',
        'm.created_at',
        'i.carrier_id as reply_carrier_id',
      ])
      .where(
        'm.id',
        'in',
        db.selectFrom('recipients').select('message_id').where('claim_token', '=', p.token),
      ),
  );

  return {
    /**
     * Takes up to `limit` due recipients (and expired claims of dead dispatchers) for `token`, of one
     * message only when `messageId` is given, with their messages. An atomic step like any other, so on
     * SQLite and PostgreSQL it shares the group commit of the sends arriving meanwhile instead of a
     * commit of its own.
     */
    async claim(
      token: string,
      now: number,
      limit: number,
      claimTimeoutMs: number,
      messageId?: string,
    ): Promise<{ recipients: Claimed[]; messages: ClaimedMessage[] }> {
      const values = { token, expires: iso(now + claimTimeoutMs), at: iso(now), limit, messageId };
      const [taken, messages] = await store.atomic([
        (messageId === undefined ? claimAny : claimOfMessage)(values),
        claimedMessages({ token }),
      ]);
      return { recipients: taken!.rows as Claimed[], messages: messages!.rows as ClaimedMessage[] };
    },

    /** The carrier accepted it: `sent`, with the carrier's ids kept to match its reports. */
    sent(
      r: Claimed,
      token: string,
      carrierId: string,
      refs: readonly string[],
      now: number,
      also: Also = [],
    ) {
      const at = iso(now);
      return store.atomic([
        sentUpdate({ id: r.id, token, carrierId, ref: refs[0] ?? null, at }),
        ...insertRefs(
          [...new Set(refs)].map((ref) => ({
            carrier_id: carrierId,
            carrier_message_id: ref,
            recipient_id: r.id,
          })),
        ),
        outbox.recipient(r.id, 'sent', at, now),
        ...also,
      ]);
    },

    /** Back to `queued` until `next`. */
    retry(r: Claimed, token: string, next: number, error: DeliveryError, now: number, also: Also = []) {
      return store.atomic([
        retryUpdate({ id: r.id, token, next: iso(next), ...error, at: iso(now) }),
        ...also,
      ]);
    },

    /**
     * Put back until `next` without trying (its carrier is paced, or its promotional message may not go
     * yet): the claim's attempt is not counted.
     */
    defer(r: Claimed, token: string, next: number, now: number) {
      return store.atomic([deferUpdate({ id: r.id, token, next: iso(next), at: iso(now) })]);
    },

    /** Never reached a carrier: `failed`, and its cost goes back to the account (once: the ledger key is unique). */
    failed: endRefunded(failedUpdate, 'failed'),

    /** Not submitted within its message's validity period: `expired`, and its cost goes back as a failure's does. */
    expired: endRefunded(expiredUpdate, 'expired'),

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

export type Transitions = ReturnType<typeof createTransitions>;
