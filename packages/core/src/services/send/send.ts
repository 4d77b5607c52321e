import type { Principal } from '../../auth/principal';
import type { Clock } from '../../clock';
import { GatewayError } from '../../errors';
import { newId } from '../../ids';
import { toMajor } from '../../money';
import type { Limiter, UsageSink } from '../../ratelimit/limiter';
import type { Store } from '../../storage/store';
import type { Drafter } from './draft';
import { createIdempotency, fingerprint } from './idempotency';
import { quoteResult, sendResult } from './results';
import { createSendStatements } from './statements';
import type { QuoteResult, SendInput, SendResult } from './types';

/**
 * Sends and quotes. A send is drafted (pure checks and pricing), takes its recipients from the SMS rate
 * limit, and is stored in one atomic batch with its debit, so a refused send leaves no trace and
 * concurrent sends never overdraw. A quote is the same draft, stored nowhere.
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

  /**
   * Stores a send; `usage` hears how much of the SMS limit is left. With an `idempotencyKey`, a retry
   * of the same request returns the first response and sends nothing.
   */
  async function send(
    principal: Principal,
    input: SendInput,
    usage?: UsageSink,
    idempotencyKey?: string,
  ): Promise<SendResult> {
    const { accountId } = principal;
    const print = idempotencyKey === undefined ? '' : await fingerprint(input);
    const replay = () => idempotency.replay<SendResult>(accountId, idempotencyKey!, print);
    if (idempotencyKey !== undefined) {
      const prior = await replay();
      if (prior) return prior;
    }
    const now = clock.now();
    const draft = deps.draft(principal, input, now);
    // One SMS of the per-minute limit per recipient, all or none; given back if the send is refused below.
    await limiter.sms(accountId, principal.limits, draft.recipients.length, usage);
    const messageId = newId('msg');
    const result = sendResult(draft, messageId, currency);
    try {
      await store.atomic([
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
      await limiter.refundSms(accountId, principal.limits, draft.recipients.length);
      // A twin with the same key got in first (its message may be why this debit failed): answer
      // what it answered, whatever this attempt's own error was.
      if (idempotencyKey !== undefined) {
        const prior = await replay();
        if (prior) return prior;
      }
      if (store.violates(e, { kind: 'check', constraint: 'accounts_balance_nonnegative' }))
        throw new GatewayError('INSUFFICIENT_BALANCE', 'Account balance too low for this message', {
          required: toMajor(draft.total),
          currency,
        });
      throw e;
    }
    if (draft.scheduledAt === null) deps.onQueued(messageId);
    return result;
  }

  /** What a send would do and cost, and whether the balance (major units) covers it; stores and charges nothing. */
  function quote(principal: Principal, input: SendInput, balance: number): QuoteResult {
    return quoteResult(deps.draft(principal, input, clock.now()), currency, balance);
  }

  return { send, quote };
}

export type Sender = ReturnType<typeof createSender>;
