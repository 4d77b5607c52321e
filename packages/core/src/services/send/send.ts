import type { Principal } from '../../auth/principal';
import type { Clock } from '../../clock';
import { GatewayError } from '../../errors';
import { newId } from '../../ids';
import { toMajor } from '../../money';
import type { BatchTake, Limiter, UsageSink } from '../../ratelimit/limiter';
import type { Store } from '../../storage/store';
import type { Drafter, ReplyOrigin } from './draft';
import { createIdempotency, fingerprint } from './idempotency';
import { quoteResult, sendResult } from './results';
import { createSendStatements } from './statements';
import type { QuoteResult, SendInput, SendResult } from './types';

export interface SendOptions {
  /** Hears how much of the tightest limit is left. */
  usage?: UsageSink;
  /** A retry of the same request with the same key returns the first response and sends nothing. */
  idempotencyKey?: string;
  /** The request's API call, to count in the send's own atomic batch (one commit for the whole send). */
  apiCall?: () => Promise<BatchTake>;
  /** The inbound message it answers, already looked up (the gateway's own replies to keywords). */
  reply?: ReplyOrigin;
  /** false: sent to opted-out numbers too (the confirmation of an opt-out); default true. */
  suppress?: boolean;
}

/** Prepares takes in turn; when one is refused, those prepared before it are given back. */
async function prepareTakes(factories: (() => Promise<BatchTake>)[]): Promise<BatchTake[]> {
  const takes: BatchTake[] = [];
  try {
    for (const f of factories) takes.push(await f());
  } catch (e) {
    for (const t of takes) await t.failed(e, false);
    throw e;
  }
  return takes;
}

/**
 * Sends and quotes. A send is drafted (pure checks and pricing) and stored in one atomic batch with its
 * rate-limit takes (its recipients from the SMS limit, the request from the API-call limit) and its
 * debit, so a refused send leaves no trace, concurrent sends never overdraw nor pass a limit, and a
 * send is one commit. A quote is the same draft, stored nowhere.
 */
export function createSender(deps: {
  store: Store;
  clock: Clock;
  currency: string;
  draft: Drafter;
  limiter: Limiter;
  /** Called with its id after a send that is due now was stored, so a dispatcher can pick it up at once. */
  onQueued: (messageId: string) => void;
}) {
  const { store, clock, currency, limiter } = deps;
  const statements = createSendStatements(store);
  const idempotency = createIdempotency(store);

  /** The inbound message `input.reply_to` names, of this account; NOT_FOUND for any other. */
  async function replyOrigin(accountId: string, input: SendInput): Promise<ReplyOrigin | undefined> {
    if (input.reply_to === undefined) return undefined;
    const row = await store.db
      .selectFrom('inbound_messages')
      .select(['id', 'sender as from', 'recipient as to'])
      .where('id', '=', input.reply_to)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw new GatewayError('NOT_FOUND', `No inbound message ${input.reply_to} to reply to`);
    return row;
  }

  /** Stores a send (see `SendOptions`). */
  async function send(
    principal: Principal,
    input: SendInput,
    options: SendOptions = {},
  ): Promise<SendResult> {
    const { accountId } = principal;
    const { usage, idempotencyKey } = options;
    const print = idempotencyKey === undefined ? '' : await fingerprint(input);
    const replay = () => idempotency.replay<SendResult>(accountId, idempotencyKey!, print);
    if (idempotencyKey !== undefined) {
      const prior = await replay();
      if (prior) return prior;
    }
    const now = clock.now();
    const draft = await deps.draft(principal, input, now, {
      reply: options.reply ?? (await replyOrigin(accountId, input)),
      ...(options.suppress === undefined ? {} : { suppress: options.suppress }),
    });
    const takes = await prepareTakes([
      ...(options.apiCall ? [options.apiCall] : []),
      // One SMS of the per-minute limit per recipient, all or none.
      () => limiter.smsInBatch(accountId, principal.limits, draft.recipients.length, usage),
    ]);
    const messageId = newId('msg');
    const result = sendResult(draft, messageId, currency);
    let results: Awaited<ReturnType<typeof store.atomic>>;
    try {
      results = await store.atomic([
        ...takes.flatMap((t) => t.statements),
        ...statements.send({
          draft,
          accountId,
          messageId,
          currency,
          webhookUrl: input.webhook_url ?? null,
          apiKeyId: principal.keyId || null,
          now,
        }),
        ...(idempotencyKey === undefined
          ? []
          : [idempotency.record(accountId, idempotencyKey, print, result, now)]),
      ]);
    } catch (e) {
      let refusal: GatewayError | null = null;
      for (const [i, t] of takes.entries()) {
        const refused = await t.failed(e, i === takes.length - 1); // every take: memory ones give back
        refusal ??= refused;
      }
      // A twin with the same key got in first (its message may be why this debit failed): answer
      // what it answered, whatever this attempt's own error was.
      if (idempotencyKey !== undefined) {
        const prior = await replay();
        if (prior) return prior;
      }
      if (refusal) throw refusal;
      if (store.violates(e, { kind: 'check', constraint: 'accounts_balance_nonnegative' }))
        throw new GatewayError('INSUFFICIENT_BALANCE', 'Account balance too low for this message', {
          required: toMajor(draft.total),
          currency,
        });
      throw e;
    }
    let offset = 0;
    for (const t of takes) {
      t.committed(results.slice(offset, offset + t.statements.length));
      offset += t.statements.length;
    }
    if (draft.scheduledAt === null && !draft.held) deps.onQueued(messageId);
    return result;
  }

  /** What a send would do and cost, and whether the balance (major units) covers it; stores and charges nothing. */
  async function quote(principal: Principal, input: SendInput, balance: number): Promise<QuoteResult> {
    const reply = await replyOrigin(principal.accountId, input);
    return quoteResult(await deps.draft(principal, input, clock.now(), { reply }), currency, balance);
  }

  return { send, quote };
}

export type Sender = ReturnType<typeof createSender>;
