import { type ExpressionBuilder, sql, type UpdateObject } from 'kysely';
import { iso } from '../clock';
import { createLedger } from '../services/ledger';
import { createRowInserter } from '../storage/insert-rows';
import type { Database } from '../storage/schema';
import type { Store } from '../storage/store';
import { queryTemplate } from '../storage/template';
import type { Outbox } from '../webhooks/outbox';
import { type Claimed, createClaims } from './claims';
import { createFinalTransitions } from './final-reports';
import type { Also, DeliveryError } from './transition-step';

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
  return {
    ...createClaims(store),
    ...createFinalTransitions(store, outbox),

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
  };
}

export type Transitions = ReturnType<typeof createTransitions>;
