import type { Principal } from '../auth/authenticator';
import type { CarrierAdapter } from '../carriers/contract';
import { type Clock, iso } from '../clock';
import type { MifumoConfig } from '../config';
import { parseInstant } from '../domain/instant';
import { normalizePhone } from '../domain/phone';
import { pricePerSegment } from '../domain/pricing';
import { carriersFor } from '../domain/routing';
import { isWellFormedSenderId } from '../domain/sender-id';
import {
  analyzeMessage,
  type Encoding,
  type MessageAnalysis,
  type NationalLanguage,
  type Replacement,
} from '../encoding';
import { GatewayError } from '../errors';
import { newId } from '../ids';
import { toMajor, toMinor } from '../money';
import type { Limiter, UsageSink } from '../ratelimit/limiter';
import { createRowInserter } from '../storage/insert-rows';
import type { RecipientsTable } from '../storage/schema';
import type { Store } from '../storage/store';
import { queryTemplate } from '../storage/template';
import { createIdempotency, fingerprint } from './idempotency';
import { createLedger } from './ledger';

export interface SendInput {
  message: string;
  recipients: string[];
  sender_id?: string | undefined;
  schedule_time?: string | undefined;
  webhook_url?: string | undefined;
  /** Overrides the account's smart-encoding setting for this message. */
  smart_encoding?: boolean | undefined;
}

export interface SendResult {
  message_id: string;
  recipients: string[];
  status: 'queued' | 'scheduled';
  sender_id: string;
  cost: number;
  currency: string;
  segments: number;
  encoding: Encoding;
  schedule_time: string | null;
  recipient_costs: { phone: string; cost: number }[];
  /** Smart-encoding replacements made to the text, if any. */
  replacements: Replacement[];
  national_language: NationalLanguage | null;
}

export interface QuoteResult {
  recipients: string[];
  sender_id: string;
  encoding: Encoding;
  units: number;
  segments: number;
  parts: string[];
  /** The characters that forced UCS-2 (why the message costs more), empty for GSM-7. */
  non_gsm_characters: string[];
  replacements: Replacement[];
  national_language: NationalLanguage | null;
  recipient_costs: { phone: string; operator: string | null; cost: number }[];
  cost: number;
  currency: string;
  balance: number;
  balance_sufficient: boolean;
  schedule_time: string | null;
}

const DAY_MS = 86_400_000;

const MESSAGE_COLUMNS = [
  'id',
  'account_id',
  'sender_id',
  'body',
  'encoding',
  'segments',
  'national_language',
  'cost',
  'currency',
  'recipient_count',
  'schedule_time',
  'webhook_url',
  'created_at',
] as const;

const RECIPIENT_COLUMNS = [
  'id',
  'message_id',
  'account_id',
  'phone',
  'operator',
  'cost',
  'status',
  'attempts',
  'next_attempt_at',
  'claim_token',
  'claim_expires_at',
  'carrier_id',
  'carrier_message_id',
  'error_code',
  'error_message',
  'created_at',
  'sent_at',
  'delivered_at',
  'failed_at',
  'updated_at',
] as const;

/** Counts code points (a surrogate pair is one character). */
function characterCount(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/**
 * Validates, prices and stores a send: the debit, its ledger row, the message and one row per recipient
 * go in one atomic batch, so a refused send leaves no trace and concurrent sends never overdraw.
 */
/** A validated, priced send that has not been stored yet. */
interface Draft {
  senderId: string;
  analysis: MessageAnalysis;
  recipients: { phone: string; operator: string | null; cost: number }[];
  total: number;
  scheduledAt: number | null;
  now: number;
}

/**
 * Validates, prices and stores sends. `quote` runs the same checks and pricing without storing.
 * A send's debit, its ledger row, the message and one row per recipient go in one atomic batch, so a
 * refused send leaves no trace and concurrent sends never overdraw.
 */
export function createSender(deps: {
  store: Store;
  clock: Clock;
  config: MifumoConfig;
  carriers: ReadonlyMap<string, CarrierAdapter>;
  limiter: Limiter;
  /** Called after a send that is due now was stored, so a dispatcher can pick it up at once. */
  onQueued: () => void;
}) {
  const { store, clock, config, carriers } = deps;
  const { messages: rules, pricing } = config;
  const carrierIds = [...carriers.keys()];
  const priceTable = {
    perSegment: toMinor(pricing.perSegment),
    operators: Object.fromEntries(Object.entries(pricing.operators).map(([k, v]) => [k, toMinor(v)])),
    prefixes: Object.fromEntries(Object.entries(pricing.prefixes).map(([k, v]) => [k, toMinor(v)])),
  };
  const phoneOptions = { defaultRegion: config.defaultRegion, strict: rules.strictPhoneValidation };
  const { db } = store;
  const balanceChange = createLedger(db);
  const insertMessage = queryTemplate(MESSAGE_COLUMNS, (p) => db.insertInto('messages').values(p));
  const insertRecipients = createRowInserter(db, 'recipients', RECIPIENT_COLUMNS, store.maxBindParams);
  const idempotency = createIdempotency(store);

  function checkSender(principal: Principal, senderId: string) {
    if (!isWellFormedSenderId(senderId) || !principal.senderIds.has(senderId))
      throw new GatewayError('INVALID_SENDER_ID', `Sender ID ${JSON.stringify(senderId)} is not approved`, {
        sender_id: senderId,
        approved: [...principal.senderIds],
      });
  }

  /** Unique E.164 recipients, each with the carriers its route may use. */
  function checkRecipients(inputs: readonly string[]) {
    const unique = new Map<string, { operator: string | null; route: readonly string[] }>();
    const invalid: { input: string; reason: string }[] = [];
    for (const input of inputs) {
      const r = normalizePhone(input, phoneOptions);
      if (r.ok)
        unique.set(r.e164, {
          operator: r.operator,
          route: carriersFor(r.e164, r.operator, config.routes, carrierIds),
        });
      else invalid.push({ input: r.input, reason: r.reason });
    }
    if (invalid.length)
      throw new GatewayError('INVALID_PHONE', `${invalid.length} recipient number(s) are not valid`, {
        invalid,
      });
    const unroutable = [...unique].filter(([, r]) => r.route.length === 0).map(([phone]) => phone);
    if (unroutable.length)
      throw new GatewayError('NO_ROUTE', 'No carrier route for some recipients', { phones: unroutable });
    return unique;
  }

  /** National shift tables every carrier that may carry the message supports, so any failover can send it. */
  function sharedLanguages(routes: Iterable<readonly string[]>): NationalLanguage[] {
    let shared: NationalLanguage[] | null = null;
    for (const route of new Set(routes))
      for (const id of route) {
        const supported = carriers.get(id)?.capabilities?.nationalLanguages ?? [];
        shared = shared === null ? [...supported] : shared.filter((l) => supported.includes(l));
      }
    return shared ?? [];
  }

  function checkLength(analysis: MessageAnalysis) {
    const length = characterCount(analysis.text);
    const overLength = rules.maxLength !== null && length > rules.maxLength;
    const overSegments = rules.maxSegments !== null && analysis.segments > rules.maxSegments;
    if (overLength || overSegments)
      throw new GatewayError('MESSAGE_TOO_LONG', 'The message exceeds the length limit', {
        length,
        max_length: rules.maxLength,
        segments: analysis.segments,
        max_segments: rules.maxSegments,
        encoding: analysis.encoding,
      });
  }

  function schedule(text: string | undefined, now: number): number | null {
    if (text === undefined) return null;
    const at = parseInstant(text);
    if (at === null)
      throw new GatewayError(
        'VALIDATION_ERROR',
        'schedule_time must be an ISO 8601 date-time with a UTC offset',
        {
          field: 'schedule_time',
        },
      );
    if (at - now > rules.maxScheduleDays * DAY_MS)
      throw new GatewayError(
        'VALIDATION_ERROR',
        `schedule_time is more than ${rules.maxScheduleDays} days ahead`,
        {
          field: 'schedule_time',
        },
      );
    return at > now ? at : null;
  }

  function prepare(principal: Principal, input: SendInput): Draft {
    const max = rules.maxRecipients;
    if (input.recipients.length > max)
      throw new GatewayError('VALIDATION_ERROR', `At most ${max} recipients per request`, {
        field: 'recipients',
        max,
      });
    const senderId = input.sender_id ?? 'MIFUMO';
    checkSender(principal, senderId);
    const unique = checkRecipients(input.recipients);
    const analysis = analyzeMessage(input.message, {
      smartEncoding: input.smart_encoding ?? principal.smartEncoding ?? rules.smartEncoding,
      nationalLanguages: sharedLanguages([...unique.values()].map((r) => r.route)),
    });
    checkLength(analysis);
    const now = clock.now();
    const scheduledAt = schedule(input.schedule_time, now);
    let total = 0;
    const recipients = [...unique].map(([phone, { operator }]) => {
      const cost = analysis.segments * pricePerSegment(phone, operator, priceTable);
      total += cost;
      return { phone, operator, cost };
    });
    return { senderId, analysis, recipients, total, scheduledAt, now };
  }

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
    const print = idempotencyKey === undefined ? '' : await fingerprint(input);
    if (idempotencyKey !== undefined) {
      const prior = await idempotency.replay<SendResult>(principal.accountId, idempotencyKey, print);
      if (prior) return prior;
    }
    const { senderId, analysis, recipients, total, scheduledAt, now } = prepare(principal, input);
    // One SMS of the per-minute limit per recipient, all or none; given back if the send is refused below.
    await deps.limiter.sms(principal.accountId, principal.limits, recipients.length, usage);
    const at = iso(now);
    const messageId = newId('msg');
    const status = scheduledAt === null ? 'queued' : 'scheduled';
    const nextAttempt = scheduledAt === null ? at : iso(scheduledAt);
    const rows: RecipientsTable[] = recipients.map(({ phone, operator, cost }) => ({
      id: newId('rcp'),
      message_id: messageId,
      account_id: principal.accountId,
      phone,
      operator,
      cost,
      status,
      attempts: 0,
      next_attempt_at: nextAttempt,
      claim_token: null,
      claim_expires_at: null,
      carrier_id: null,
      carrier_message_id: null,
      error_code: null,
      error_message: null,
      created_at: at,
      sent_at: null,
      delivered_at: null,
      failed_at: null,
      updated_at: at,
    }));

    const result: SendResult = {
      message_id: messageId,
      recipients: rows.map((r) => r.phone),
      status,
      sender_id: senderId,
      cost: toMajor(total),
      currency: pricing.currency,
      segments: analysis.segments,
      encoding: analysis.encoding,
      schedule_time: scheduledAt === null ? null : nextAttempt,
      recipient_costs: rows.map((r) => ({ phone: r.phone, cost: toMajor(r.cost) })),
      replacements: analysis.replacements,
      national_language: analysis.nationalLanguage,
    };
    try {
      await store.atomic([
        ...balanceChange({
          accountId: principal.accountId,
          amount: -total,
          kind: 'send',
          reference: messageId,
          at,
        }),
        insertMessage({
          id: messageId,
          account_id: principal.accountId,
          sender_id: senderId,
          body: analysis.text,
          encoding: analysis.encoding,
          segments: analysis.segments,
          national_language: analysis.nationalLanguage,
          cost: total,
          currency: pricing.currency,
          recipient_count: rows.length,
          schedule_time: scheduledAt === null ? null : nextAttempt,
          webhook_url: input.webhook_url ?? null,
          created_at: at,
        }),
        ...insertRecipients(rows),
        ...(idempotencyKey === undefined
          ? []
          : [idempotency.record(principal.accountId, idempotencyKey, print, result, at)]),
      ]);
    } catch (e) {
      await deps.limiter.refundSms(principal.accountId, principal.limits, recipients.length);
      // A concurrent retry with the same key got in first: answer what it answered.
      if (idempotencyKey !== undefined && store.violates(e, { kind: 'unique', table: 'idempotency_keys' })) {
        const prior = await idempotency.replay<SendResult>(principal.accountId, idempotencyKey, print);
        if (prior) return prior;
      }
      if (store.violates(e, { kind: 'check', constraint: 'accounts_balance_nonnegative' }))
        throw new GatewayError('INSUFFICIENT_BALANCE', 'Account balance too low for this message', {
          required: toMajor(total),
          currency: pricing.currency,
        });
      throw e;
    }
    if (scheduledAt === null) deps.onQueued();
    return result;
  }

  /** What a send would do and cost, and whether the balance covers it; stores and charges nothing. */
  async function quote(principal: Principal, input: SendInput, balance: number): Promise<QuoteResult> {
    const { senderId, analysis, recipients, total, scheduledAt } = prepare(principal, input);
    return {
      recipients: recipients.map((r) => r.phone),
      sender_id: senderId,
      encoding: analysis.encoding,
      units: analysis.units,
      segments: analysis.segments,
      parts: analysis.parts,
      non_gsm_characters: analysis.nonGsmCharacters,
      replacements: analysis.replacements,
      national_language: analysis.nationalLanguage,
      recipient_costs: recipients.map((r) => ({
        phone: r.phone,
        operator: r.operator,
        cost: toMajor(r.cost),
      })),
      cost: toMajor(total),
      currency: pricing.currency,
      balance,
      balance_sufficient: toMinor(balance) >= total,
      schedule_time: scheduledAt === null ? null : iso(scheduledAt),
    };
  }

  return { send, quote };
}
