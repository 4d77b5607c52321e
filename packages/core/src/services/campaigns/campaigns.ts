import type { Principal } from '../../auth/principal';
import { type Clock, iso } from '../../clock';
import { GatewayError } from '../../errors';
import { newId } from '../../ids';
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
import { createCancel } from './cancel';
import { failureReasons } from './failures';
import { type CampaignText, planCampaign } from './plan';
import { progressOf } from './progress';
import { ROWS_PER_STEP, type Staging } from './staging';
import { campaignView, NO_PROGRESS } from './view';

export type CampaignInput = CampaignText & { name: string } & AudienceInput;

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

  async function get(accountId: string, id: string) {
    const row = await db
      .selectFrom('campaigns')
      .selectAll()
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw new GatewayError('NOT_FOUND', `No campaign ${id}`);
    const progress = await progressOf(db, staging, accountId, [id]);
    return campaignView(row, progress.get(id)!, clock.now());
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
      const replay = () =>
        idempotency.replay<ReturnType<typeof campaignView>>(accountId, idempotencyKey!, print);
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
      const result = campaignView(
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
        db,
        staging,
        accountId,
        rows.map((r) => r.id),
      );
      const now = clock.now();
      return {
        campaigns: rows.map((r) => campaignView(r, progress.get(r.id)!, now)),
        pagination: pagination(page, total),
      };
    },

    cancel: createCancel({ store, clock, staging, outbox: deps.outbox, get }),
  };
}

export type Campaigns = ReturnType<typeof createCampaigns>;
