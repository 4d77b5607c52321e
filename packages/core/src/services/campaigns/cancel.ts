import { sql } from 'kysely';
import type { Principal } from '../../auth/principal';
import { type Clock, iso } from '../../clock';
import { GatewayError } from '../../errors';
import { newId, randomToken } from '../../ids';
import { toMajor } from '../../money';
import type { Store } from '../../storage/store';
import type { Outbox } from '../../webhooks/outbox';
import type { Staging } from './staging';
import type { campaignView } from './view';

/** Why a cancelled recipient failed: shown in its status, reports and `failed` webhook. */
export const CANCELLED = 'CANCELLED';

/**
 * Fails every recipient of the campaign no dispatcher has taken (queued or scheduled) and refunds
 * exactly their cost, with their `failed` webhook events, in one atomic step; the rest go on.
 */
export function createCancel(deps: {
  store: Store;
  clock: Clock;
  staging: Staging;
  outbox: Outbox;
  get: (accountId: string, id: string) => Promise<ReturnType<typeof campaignView>>;
}) {
  const { store, clock, staging, get } = deps;
  const { db } = store;
  return async function cancel(principal: Principal, id: string) {
    const { accountId } = principal;
    const campaign = await get(accountId, id);
    // A campaign still preparing is first moved in whole, so what is cancelled below is all that is unsent.
    if (campaign.status === 'preparing') await staging.move(id);
    const now = clock.now();
    const at = iso(now);
    const token = randomToken(20);
    const ours = db
      .selectFrom('messages')
      .select('id')
      .where('campaign_id', '=', id)
      .where('account_id', '=', accountId);
    const cancelledCost = db
      .selectFrom('recipients')
      .select(sql<number>`coalesce(sum(cost), 0)`.as('n'))
      .where('account_id', '=', accountId)
      .where('claim_token', '=', token)
      .where('error_code', '=', CANCELLED);
    await store.atomic([
      // First, so the rows are this step's: a dispatcher's claim waits for it, then finds them failed.
      db
        .updateTable('recipients')
        .set({
          status: 'failed',
          error_code: CANCELLED,
          error_message: 'The campaign was cancelled before this was sent',
          failed_at: at,
          updated_at: at,
          claim_token: token,
        })
        .where('account_id', '=', accountId)
        .where('message_id', 'in', ours)
        .where('status', 'in', ['queued', 'scheduled'])
        .compile(),
      db
        .updateTable('accounts')
        .set({ balance: sql`balance + (${cancelledCost})`, updated_at: at })
        .where('id', '=', accountId)
        .compile(),
      db
        .insertInto('ledger_entries')
        .columns(['id', 'account_id', 'amount', 'balance_after', 'kind', 'reference', 'created_at'])
        .expression(
          db
            .selectFrom('accounts')
            .select((eb) => [
              eb.val(newId('led')).as('id'),
              'accounts.id',
              cancelledCost.as('amount'),
              'accounts.balance',
              eb.val('refund').as('kind'),
              eb.val(`cancel:${id}:${token}`).as('reference'),
              eb.val(at).as('created_at'),
            ])
            .where('accounts.id', '=', accountId)
            .where(cancelledCost, '>', 0),
        )
        .compile(),
      deps.outbox.failedMarked(accountId, token, now),
      // Labelled cancelled only when this step cancelled something: a campaign that ran to the end stays completed.
      db
        .updateTable('campaigns')
        .set({ cancelled_at: sql`coalesce(cancelled_at, ${at})` })
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .where((eb) =>
          eb.exists(
            db
              .selectFrom('recipients')
              .select('id')
              .where('account_id', '=', accountId)
              .where('claim_token', '=', token),
          ),
        )
        .compile(),
    ]);
    const done = await db
      .selectFrom('recipients')
      .select([(eb) => eb.fn.countAll<number>().as('n'), sql<number>`coalesce(sum(cost), 0)`.as('cost')])
      .where('account_id', '=', accountId)
      .where('claim_token', '=', token)
      .executeTakeFirst();
    const after = await get(accountId, id);
    if (after.status !== 'cancelled')
      throw new GatewayError(
        'CONFLICT',
        `Campaign ${id} is ${after.status} and has nothing left to cancel: every recipient was already taken`,
        { reason: 'campaign_finished', campaign_id: id, status: after.status },
      );
    return {
      ...after,
      cancelled_now: Number(done?.n ?? 0),
      refunded_now: toMajor(Number(done?.cost ?? 0)),
      was: campaign.status,
    };
  };
}
