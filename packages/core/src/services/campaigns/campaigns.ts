import { sql } from 'kysely';
import type { Principal } from '../../auth/principal';
import { type Clock, iso } from '../../clock';
import { GatewayError } from '../../errors';
import { newId, randomToken } from '../../ids';
import { toMajor, toMinor } from '../../money';
import { countRows } from '../../storage/count-rows';
import type { CampaignsTable } from '../../storage/schema';
import type { Store } from '../../storage/store';
import type { Outbox } from '../../webhooks/outbox';
import { createLedger } from '../ledger';
import { offsetOf, type PageRequest, pagination } from '../paging';
import type { Drafter } from '../send/draft';
import { createIdempotency, fingerprint } from '../send/idempotency';
import { deferral } from '../send/results';
import type { AudienceInput, ResolveAudience } from './audience';
import { failureReasons } from './failures';
import { type CampaignText, planCampaign } from './plan';
import { ROWS_PER_STEP, type Staging } from './staging';

export type CampaignInput = CampaignText & { name: string } & AudienceInput;

/** Why a cancelled recipient failed: shown in its status, reports and `failed` webhook. */
export const CANCELLED = 'CANCELLED';

interface Progress {
  queued: number;
  sent: number;
  delivered: number;
  expired: number;
  failed: number;
  cancelled: number;
  refunded: number;
  /** Recipients still on their way into the campaign's messages (counted in `queued` too). */
  staged: number;
}

const NO_PROGRESS: Progress = {
  queued: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  expired: 0,
  cancelled: 0,
  refunded: 0,
  staged: 0,
};

/**
 * Campaigns: a template sent to an audience resolved at acceptance. Accepting one stages its messages
 * (one per distinct personalised text, each recipient priced by its own text) in small steps, then
 * stores the campaign and one debit of the whole cost in one small atomic step, or nothing
 * (INSUFFICIENT_BALANCE names the total; the staged rows are deleted). Its recipients are then moved
 * where dispatchers take them, at once for a small campaign, by the work loop for a large one, which
 * is `preparing` meanwhile. Cancelling fails what no dispatcher has taken yet and refunds exactly that,
 * in one atomic step.
 */
export function createCampaigns(deps: {
  store: Store;
  clock: Clock;
  currency: string;
  draft: Drafter;
  audience: ResolveAudience;
  staging: Staging;
  maxRecipients: number;
  outbox: Outbox;
  onQueued: (messageId: string) => void;
}) {
  const { store, clock, currency, staging } = deps;
  const { db } = store;
  const balanceChange = createLedger(db);
  const idempotency = createIdempotency(store);

  async function plan(principal: Principal, input: CampaignInput) {
    const now = clock.now();
    const audience = await deps.audience(principal.accountId, input);
    return {
      now,
      audience,
      plan: await planCampaign(deps.draft, principal, input, audience, now, deps.maxRecipients),
    };
  }

  /**
   * Recipients of campaigns by status (those still staged as queued), and what was refunded, in three
   * queries; each binds the ids once (a page of campaigns is at most 50, inside D1's 100 parameters).
   */
  async function progressOf(accountId: string, ids: string[]): Promise<Map<string, Progress>> {
    const out = new Map<string, Progress>(ids.map((id) => [id, { ...NO_PROGRESS }]));
    if (ids.length === 0) return out;
    const n = (condition: ReturnType<typeof sql>) =>
      sql<number>`sum(case when ${condition} then 1 else 0 end)`;
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

  function view(c: CampaignsTable, p: Progress, now: number) {
    const pending = p.queued + p.sent;
    const status = c.cancelled_at
      ? 'cancelled'
      : p.staged > 0
        ? 'preparing'
        : p.queued === 0
          ? p.sent === 0
            ? 'completed'
            : 'sending'
          : (c.schedule_time !== null && c.schedule_time > iso(now)) ||
              // Held at acceptance (a pause without an end), and nothing has gone yet.
              (c.held_until_resumed === 1 && p.sent + p.delivered + p.failed + p.expired === 0)
            ? 'scheduled'
            : 'sending';
    return {
      id: c.id,
      name: c.name,
      message: c.template,
      sender_id: c.sender_id,
      audience: { type: c.audience, segment_id: c.segment_id },
      schedule_time: c.schedule_time,
      webhook_url: c.webhook_url,
      status: status as 'preparing' | 'scheduled' | 'sending' | 'completed' | 'cancelled',
      recipients: Number(c.recipient_count),
      traffic_class: c.traffic_class,
      deferred_until: c.deferred_until,
      held_until_resumed: c.held_until_resumed === 1,
      excluded: {
        inactive: Number(c.excluded_inactive),
        duplicates: Number(c.excluded_duplicates),
        opted_out: Number(c.excluded_opted_out),
      },
      progress: {
        queued: p.queued,
        sent: p.sent,
        delivered: p.delivered,
        failed: p.failed,
        expired: p.expired,
        cancelled: p.cancelled,
      },
      pending,
      cost: toMajor(Number(c.cost)),
      refunded: toMajor(p.refunded),
      currency: c.currency,
      created_at: c.created_at,
      cancelled_at: c.cancelled_at,
    };
  }

  async function get(accountId: string, id: string) {
    const row = await db
      .selectFrom('campaigns')
      .selectAll()
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw new GatewayError('NOT_FOUND', `No campaign ${id}`);
    const progress = await progressOf(accountId, [id]);
    return view(row, progress.get(id)!, clock.now());
  }

  return {
    /** What a campaign would send and cost, stored and charged nowhere; `balance` in major units. */
    async quote(principal: Principal, input: CampaignInput, balance: number) {
      const { audience, plan: p } = await plan(principal, input);
      const segments = p.drafts.reduce((n, d) => n + d.analysis.segments * d.recipients.length, 0);
      return {
        recipients: p.recipients,
        traffic_class: input.traffic_class ?? 'transactional',
        ...deferral(p.drafts[0]!),
        excluded: {
          inactive: audience.excludedInactive,
          duplicates: audience.excludedDuplicates,
          opted_out: audience.optedOut.length,
        },
        texts: p.drafts.length,
        segments,
        cost: toMajor(p.total),
        currency,
        balance,
        balance_sufficient: toMinor(balance) >= p.total,
        sample: p.drafts.slice(0, 3).map((d) => ({
          message: d.analysis.text,
          recipients: d.recipients.length,
          segments: d.analysis.segments,
          encoding: d.analysis.encoding,
        })),
      };
    },

    /**
     * Accepts a campaign. With an `idempotencyKey` (shared with sends: one key space per account), a
     * retry with the same body answers the first response and creates and charges nothing; the key is
     * stored in the campaign's own atomic step, so concurrent twins make one campaign.
     */
    async create(
      principal: Principal,
      input: CampaignInput,
      options: { idempotencyKey?: string | undefined } = {},
    ) {
      const { accountId } = principal;
      const { idempotencyKey } = options;
      // Scoped, so a send's key reused for a campaign is another request, never a replay of the send.
      const print = idempotencyKey === undefined ? '' : await fingerprint({ campaign: input });
      const replay = () => idempotency.replay<ReturnType<typeof view>>(accountId, idempotencyKey!, print);
      if (idempotencyKey !== undefined) {
        const prior = await replay();
        if (prior) return prior;
      }
      const { now, audience, plan: p } = await plan(principal, input);
      const at = iso(now);
      const id = newId('cmp', now);
      const first = p.drafts[0]!;
      const messageIds = p.drafts.map(() => newId('msg', now));
      const row: CampaignsTable = {
        id,
        account_id: accountId,
        name: input.name.trim(),
        template: input.message,
        sender_id: first.senderId,
        audience: audience.kind,
        segment_id: audience.segmentId,
        schedule_time: first.scheduledAt === null ? null : iso(first.scheduledAt),
        webhook_url: input.webhook_url ?? null,
        recipient_count: p.recipients,
        excluded_inactive: audience.excludedInactive,
        excluded_duplicates: audience.excludedDuplicates,
        excluded_opted_out: audience.optedOut.length,
        traffic_class: first.trafficClass,
        deferred_until: first.deferredUntil === null ? null : iso(first.deferredUntil),
        held_until_resumed: first.held ? 1 : 0,
        cost: p.total,
        currency,
        api_key_id: principal.keyId || null,
        created_at: at,
        cancelled_at: null,
      };
      // A small campaign is moved in before the answer; a large one is prepared by the work loop.
      const large = p.recipients > ROWS_PER_STEP;
      const result = view(
        row,
        { ...NO_PROGRESS, queued: p.recipients, staged: large ? p.recipients : 0 },
        now,
      );
      await staging.stage(
        id,
        p.drafts.map((draft, i) => ({
          draft,
          accountId,
          messageId: messageIds[i]!,
          currency,
          webhookUrl: input.webhook_url ?? null,
          apiKeyId: principal.keyId || null,
          now,
        })),
      );
      const statements = [
        ...balanceChange({
          accountId,
          amount: -p.total,
          kind: 'send',
          reference: id,
          at,
        }),
        db.insertInto('campaigns').values(row).compile(),
      ];
      if (idempotencyKey !== undefined)
        statements.push(idempotency.record(accountId, idempotencyKey, print, result, now));
      try {
        await store.atomic(statements);
      } catch (e) {
        await staging.discard(id);
        // A twin with the same key got in first (its debit may be why this one failed): answer what it answered.
        if (idempotencyKey !== undefined) {
          const prior = await replay();
          if (prior) return prior;
        }
        if (store.violates(e, { kind: 'check', constraint: 'accounts_balance_nonnegative' }))
          throw new GatewayError(
            'INSUFFICIENT_BALANCE',
            `Account balance too low for this campaign: it costs ${toMajor(p.total)} ${currency}`,
            {
              required: toMajor(p.total),
              currency,
            },
          );
        throw e;
      }
      if (large) {
        // The kick runs the work loop, which moves the staged recipients in, then dispatches.
        deps.onQueued(messageIds[0]!);
        return result;
      }
      await staging.move(id);
      // One kick starts the dispatcher, which takes every due recipient, not only this message's.
      if (first.scheduledAt === null && !first.held) deps.onQueued(messageIds[0]!);
      return result;
    },

    get,

    /** Why the campaign's recipients failed or expired, by error code (none for another account's). */
    failures: (accountId: string, id: string) => failureReasons(db, accountId, id),

    async list(accountId: string, page: PageRequest) {
      const mine = db.selectFrom('campaigns').where('account_id', '=', accountId);
      const total = await countRows(mine);
      const rows = await mine
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.per_page)
        .offset(offsetOf(page))
        .execute();
      const progress = await progressOf(
        accountId,
        rows.map((r) => r.id),
      );
      const now = clock.now();
      return {
        campaigns: rows.map((r) => view(r, progress.get(r.id)!, now)),
        pagination: pagination(page, total),
      };
    },

    /**
     * Fails every recipient of the campaign no dispatcher has taken (queued or scheduled) and refunds
     * exactly their cost, with their `failed` webhook events, in one atomic step; the rest go on.
     */
    async cancel(principal: Principal, id: string) {
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
    },
  };
}

export type Campaigns = ReturnType<typeof createCampaigns>;
