import { type ExpressionBuilder, sql, type Updateable } from 'kysely';
import type { CarrierAdapter, DeliveryReport, ReportOutcome } from '../carriers/contract';
import { CarrierError } from '../carriers/contract';
import { type Clock, iso } from '../clock';
import type { MifumoConfig } from '../config';
import { carriersFor } from '../domain/routing';
import { analyzeMessage, type MessageAnalysis, type NationalLanguage } from '../encoding';
import { randomToken } from '../ids';
import { createLedger } from '../services/ledger';
import { createRowInserter } from '../storage/insert-rows';
import type { Database, RecipientsTable } from '../storage/schema';
import type { Store } from '../storage/store';
import { queryTemplate } from '../storage/template';

export interface Logger {
  error(message: string, detail?: unknown): void;
}

type Claimed = {
  id: string;
  message_id: string;
  account_id: string;
  phone: string;
  operator: string | null;
  attempts: number;
  cost: number;
};

/**
 * Moves due recipients from the outbox to their carriers. Each claim is one guarded UPDATE, so several
 * dispatchers (processes, isolates) never take the same row; a claim left by a dead dispatcher expires
 * and is taken again, so nothing accepted is lost.
 */
export function createDispatcher(deps: {
  store: Store;
  clock: Clock;
  config: MifumoConfig;
  carriers: ReadonlyMap<string, CarrierAdapter>;
  log: Logger;
}) {
  const { store, clock, config, carriers, log } = deps;
  const { db } = store;
  const { batchSize, claimTimeoutMs, maxAttempts, retryBaseMs } = config.dispatch;
  const carrierIds = [...carriers.keys()];

  const claimable = (now: string) => (eb: ExpressionBuilder<Database, 'recipients'>) =>
    eb.or([
      eb.and([eb('status', 'in', ['queued', 'scheduled']), eb('next_attempt_at', '<=', now)]),
      eb.and([eb('status', '=', 'sending'), eb('claim_expires_at', '<', now)]),
    ]);

  async function claim(token: string): Promise<Claimed[]> {
    const now = clock.now();
    const at = iso(now);
    return db
      .updateTable('recipients')
      .set({
        status: 'sending',
        claim_token: token,
        claim_expires_at: iso(now + claimTimeoutMs),
        attempts: sql`attempts + 1`,
        updated_at: at,
      })
      .where(
        'id',
        'in',
        db
          .selectFrom('recipients')
          .select('id')
          .where(claimable(at))
          .orderBy('next_attempt_at')
          .limit(batchSize),
      )
      .where(claimable(at)) // re-checked on the row itself: a concurrent claimer cannot take it twice
      .returning(['id', 'message_id', 'account_id', 'phone', 'operator', 'attempts', 'cost'])
      .execute();
  }

  const balanceChange = createLedger(db);
  const insertRefs = createRowInserter(
    db,
    'carrier_refs',
    ['carrier_id', 'carrier_message_id', 'recipient_id'],
    store.maxBindParams,
    'ignore',
  );
  const claimed = (p: { id: string; token: string }) => (eb: ExpressionBuilder<Database, 'recipients'>) =>
    eb.and([eb('id', '=', p.id), eb('claim_token', '=', p.token)]);
  /** Ends a claim with `fields` (the new status and its columns), only while this dispatcher still holds it. */
  const releaseClaim = <K extends string>(
    keys: readonly K[],
    // biome-ignore lint/suspicious/noExplicitAny: placeholders stand in for column values
    fields: (p: Record<K | 'at', any>) => Updateable<RecipientsTable>,
  ) =>
    queryTemplate(['id', 'token', 'at', ...keys], (p) =>
      db
        .updateTable('recipients')
        .set({ claim_token: null, claim_expires_at: null, updated_at: p.at, ...fields(p) })
        .where(claimed(p)),
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
  const failedUpdate = releaseClaim(['code', 'message'], (p) => ({
    status: 'failed',
    failed_at: p.at,
    error_code: p.code,
    error_message: p.message,
  }));
  const reportUpdate = queryTemplate(
    ['carrierId', 'ref', 'status', 'deliveredAt', 'failedAt', 'code', 'message', 'at'],
    (p) =>
      db
        .updateTable('recipients')
        .set({
          status: p.status,
          delivered_at: p.deliveredAt,
          failed_at: p.failedAt,
          error_code: p.code,
          error_message: p.message,
          updated_at: p.at,
        })
        .where((eb) =>
          eb(
            'id',
            '=',
            eb
              .selectFrom('carrier_refs')
              .select('recipient_id')
              .where('carrier_id', '=', p.carrierId)
              .where('carrier_message_id', '=', p.ref),
          ),
        )
        .where('status', '=', 'sent')
        .returning('id'),
  );

  async function markSent(r: Claimed, token: string, carrierId: string, ids: string[]) {
    const at = iso(clock.now());
    await store.atomic([
      sentUpdate({ id: r.id, token, carrierId, ref: ids[0] ?? null, at }),
      ...insertRefs(
        ids.map((ref) => ({ carrier_id: carrierId, carrier_message_id: ref, recipient_id: r.id })),
      ),
    ]);
  }

  async function markRetry(r: Claimed, token: string, code: string, message: string) {
    const now = clock.now();
    const next = iso(now + retryBaseMs * 2 ** (r.attempts - 1));
    await store.atomic([retryUpdate({ id: r.id, token, next, code, message, at: iso(now) })]);
  }

  /** Never reached a carrier: failed, and its cost goes back to the account (once: the ledger key is unique). */
  async function markFailed(r: Claimed, token: string, code: string, message: string) {
    const at = iso(clock.now());
    await store.atomic([
      failedUpdate({ id: r.id, token, code, message, at }),
      ...balanceChange({
        accountId: r.account_id,
        amount: Number(r.cost),
        kind: 'refund',
        reference: r.id,
        at,
      }),
    ]);
  }

  type Text = { sender: string; body: string; analysis: MessageAnalysis };

  async function deliver(r: Claimed, token: string, text: Text, signal: AbortSignal) {
    const route = carriersFor(r.phone, r.operator, config.routes, carrierIds);
    const carrierId = route[(r.attempts - 1) % route.length];
    const carrier = carrierId === undefined ? undefined : carriers.get(carrierId);
    if (!carrier) return markFailed(r, token, 'NO_ROUTE', `No carrier route for ${r.phone}`);
    if (r.attempts > maxAttempts)
      return markFailed(r, token, 'MAX_ATTEMPTS', `Gave up after ${maxAttempts} attempts`);
    let ids: string[];
    try {
      const message = {
        id: r.id,
        messageId: r.message_id,
        to: r.phone,
        from: text.sender,
        text: text.body,
        encoding: text.analysis.encoding,
        parts: text.analysis.parts,
        nationalLanguage: text.analysis.nationalLanguage,
      };
      ids = (await carrier.submit(message, signal)).carrierMessageIds;
    } catch (e) {
      const err = e instanceof CarrierError ? e : null;
      const code = err?.carrierCode ?? (err ? 'CARRIER_ERROR' : 'SUBMIT_ERROR');
      const message = e instanceof Error ? e.message : String(e);
      if (err && !err.retryable) return markFailed(r, token, code, message);
      if (!err) log.error(`submit to ${carrier.id} threw`, e);
      if (r.attempts >= maxAttempts) return markFailed(r, token, code, message);
      return markRetry(r, token, code, message);
    }
    return markSent(r, token, carrier.id, ids);
  }

  async function dispatchBatch(): Promise<number> {
    const token = randomToken(16);
    const claimed = await claim(token);
    if (claimed.length === 0) return 0;
    const messageIds = [...new Set(claimed.map((r) => r.message_id))];
    const bodies = await db
      .selectFrom('messages')
      .select(['id', 'sender_id', 'body', 'national_language'])
      .where('id', 'in', messageIds)
      .execute();
    const texts = new Map(
      bodies.map((m) => {
        // The body is stored as sent (smart-encoding replacements made); only the shift table is needed again.
        const languages = m.national_language === null ? [] : [m.national_language as NationalLanguage];
        return [
          m.id,
          {
            sender: m.sender_id,
            body: m.body,
            analysis: analyzeMessage(m.body, { nationalLanguages: languages }),
          },
        ];
      }),
    );
    // Submits give up well before the claim expires, so no other dispatcher can take the same rows meanwhile.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), claimTimeoutMs / 2);
    try {
      await Promise.all(
        claimed.map((r) =>
          deliver(r, token, texts.get(r.message_id)!, abort.signal).catch((e) =>
            log.error(`dispatch of ${r.id} failed`, e),
          ),
        ),
      );
    } finally {
      clearTimeout(timer);
    }
    return claimed.length;
  }

  return {
    /** Submits everything due now, batch after batch; returns how many recipients were taken. */
    async dispatchDue(maxBatches = 20): Promise<number> {
      let total = 0;
      for (let i = 0; i < maxBatches; i++) {
        const n = await dispatchBatch();
        total += n;
        if (n < batchSize) break;
      }
      return total;
    },

    /** Applies a carrier's delivery report to the recipient it sent. The first final report wins. */
    async handleReport(carrierId: string, report: DeliveryReport): Promise<ReportOutcome> {
      const at = iso(report.at ?? clock.now());
      const delivered = report.status === 'delivered';
      const [result] = await store.atomic([
        reportUpdate({
          carrierId,
          ref: report.carrierMessageId,
          status: report.status,
          deliveredAt: delivered ? at : null,
          failedAt: delivered ? null : at,
          code: delivered ? null : (report.errorCode ?? 'UNDELIVERED'),
          message: delivered ? null : (report.errorMessage ?? 'The carrier reported the message undelivered'),
          at: iso(clock.now()),
        }),
      ]);
      if (result?.rows.length) return 'applied';
      const known = await db
        .selectFrom('carrier_refs')
        .select('recipient_id')
        .where('carrier_id', '=', carrierId)
        .where('carrier_message_id', '=', report.carrierMessageId)
        .executeTakeFirst();
      return known ? 'duplicate' : 'unknown';
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
