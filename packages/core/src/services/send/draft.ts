import { type CountryCode, getCountryCallingCode } from 'libphonenumber-js/max';
import type { Principal } from '../../auth/principal';
import type { CarrierCapabilities } from '../../carriers/contract';
import type { MifumoConfig } from '../../config';
import { parseInstant } from '../../domain/instant';
import { operatorTable } from '../../domain/operators';
import { withFooter } from '../../domain/opt-out-footer';
import { normalizePhone } from '../../domain/phone';
import { type PriceTable, pricePerSegment } from '../../domain/pricing';
import { carriersFor } from '../../domain/routing';
import { suppressesOptOuts, type TrafficClass } from '../../domain/traffic-class';
import { checkWebhookUrl } from '../../domain/webhook-url';
import { analyzeMessage, type MessageAnalysis, type NationalLanguage } from '../../encoding';
import { GatewayError, invalidField } from '../../errors';
import { yieldToEventLoop } from '../../event-loop';
import { toMinor } from '../../money';
import type { PromotionalWindow } from '../compliance';
import type { OwnSenderIds } from '../sender-id-views';
import { senderChecks } from './sender-check';
import type { SendInput } from './types';

const DAY_MS = 86_400_000;
/** A send's `validity_period` bounds, in seconds: a minute to a week (SMPP's relative validity covers it). */
export const MIN_VALIDITY_SECONDS = 60;
export const MAX_VALIDITY_SECONDS = 604_800;
/** Numbers normalised between turns of the event loop (about 10 ms of libphonenumber). */
const NUMBERS_PER_TURN = 1000;

/** A validated, priced send that has not been stored: what a send stores and a quote shows. Money in minor units. */
export interface Draft {
  senderId: string;
  analysis: MessageAnalysis;
  recipients: { phone: string; operator: string | null; cost: number }[];
  total: number;
  /** When it is due (a promotional one put off: the end of its quiet hours or pause); null for now. */
  scheduledAt: number | null;
  /** A promotional message put off at acceptance (quiet hours, a pause with an end): until when; else null. */
  deferredUntil: number | null;
  /** A promotional message accepted during a pause without an end: it waits until the pause is resumed. */
  held: boolean;
  /** The promotional rules it was drafted under (a campaign's further texts reuse them); null for other classes. */
  promotion: Promotion | null;
  /** Never submitted after this (its validity period from when it is due); null without one. */
  validUntil: number | null;
  /** The inbound message it answers; null for any other send. */
  replyTo: string | null;
  trafficClass: TrafficClass;
  /** Recipients left out because the account opted them out (E.164, in the order given). */
  suppressed: string[];
  /** The account's own sender IDs, when its sender ID is one of them (a campaign's other texts reuse them). */
  ownSenderIds: OwnSenderIds | null;
}

/** The inbound message a send answers (`reply_to`): whom it came from and the number it came in on. */
export interface ReplyOrigin {
  id: string;
  /** The subscriber: the reply's only recipient. */
  from: string;
  /** The gateway's number it came in on: the reply's default sender. */
  to: string;
}

/** What applies to an account's promotional message due at some instant: its opt-out footer and when it may go. */
export interface Promotion {
  footer: string;
  window: PromotionalWindow;
}

/** The promotional rules of an account for a message due at `dueAt`; OPT_OUT_REQUIRED when it has no opt-out route. */
export type PromotionRules = (accountId: string, dueAt: number) => Promise<Promotion>;

export interface DraftOptions {
  /** The cap of what is drafted (a send's, or a campaign's whole audience). */
  maxRecipients?: number;
  /** false: opted-out numbers are not looked up (a campaign left them out of its audience already). */
  suppress?: boolean;
  /** The inbound message the send answers (`reply_to`), looked up by the caller. */
  reply?: ReplyOrigin | undefined;
  /** The promotional rules already looked up for this account and due time (a campaign's other texts). */
  promotion?: Promotion | null | undefined;
  /** The account's own sender IDs already looked up (a campaign's other texts). */
  ownSenderIds?: OwnSenderIds | null | undefined;
}

/** Which of an account's numbers (E.164) it has opted out. */
export type OptedOut = (accountId: string, phones: readonly string[]) => Promise<ReadonlySet<string>>;

/** An account's own sender IDs and their operators' decisions. */
export type OwnSenderIdsOf = (accountId: string) => Promise<OwnSenderIds>;

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
 * The first step of a send or a quote: sender ID, recipients (normalised, de-duplicated, opted-out
 * ones left out unless it is `otp`, routed; the sender ID approved for each one's operator), encoding
 * and length, schedule and price, each refused with its own error code. A promotional message gets the
 * account's opt-out footer before it is encoded and priced, and is put off to when its account's quiet
 * hours or pause allow it. Its only I/O is `optedOut`, which reads the account's opt-outs,
 * `promotionRules`, and `ownSenderIds` (unless the sender ID is gateway-wide or a reply's number).
 */
export function createDrafter(
  config: MifumoConfig,
  carriers: ReadonlyMap<string, { capabilities?: CarrierCapabilities | undefined }>,
  io: { optedOut?: OptedOut; promotionRules?: PromotionRules; ownSenderIds?: OwnSenderIdsOf } = {},
) {
  const {
    optedOut = async () => new Set(),
    promotionRules = async () => ({
      footer: '',
      window: { deferUntil: null, held: false, reason: null },
    }),
    ownSenderIds = async () => new Map(),
  } = io;
  const { messages: rules, pricing } = config;
  const carrierIds = [...carriers.keys()];
  const priceTable: PriceTable = {
    home: `+${getCountryCallingCode(config.defaultRegion as CountryCode)}`,
    perSegment: toMinor(pricing.perSegment),
    operators: Object.fromEntries(Object.entries(pricing.operators).map(([k, v]) => [k, toMinor(v)])),
    prefixes: Object.fromEntries(Object.entries(pricing.prefixes).map(([k, v]) => [k, toMinor(v)])),
  };
  const phoneOptions = {
    defaultRegion: config.defaultRegion,
    strict: rules.strictPhoneValidation,
    operatorOf: operatorTable(config.operators),
  };

  const senders = senderChecks(config);

  /** UNSUPPORTED_DESTINATION naming the numbers (the first three in the message, all in `details.phones`). */
  function unsupportedDestinations(phones: string[]) {
    const named =
      phones.length === 1
        ? phones[0]
        : `${phones.length} recipients (${phones.slice(0, 3).join(', ')}${phones.length > 3 ? ', …' : ''})`;
    return new GatewayError(
      'UNSUPPORTED_DESTINATION',
      `No price for ${named}: only numbers of ${config.defaultRegion} (${priceTable.home}) and destinations priced in pricing.prefixes or pricing.operators can be sent to`,
      { phones },
    );
  }

  /**
   * Unique E.164 recipients, each with its price per segment and the carriers its route may use, and
   * those left out as opted out (looked up for `accountId` when given); RECIPIENT_OPTED_OUT when none is left.
   */
  async function checkRecipients(inputs: readonly string[], accountId: string | null) {
    const unique = new Map<
      string,
      { operator: string | null; price: number | null; route: readonly string[] }
    >();
    const invalid: { input: string; reason: string }[] = [];
    for (const [i, input] of inputs.entries()) {
      if (i > 0 && i % NUMBERS_PER_TURN === 0) await yieldToEventLoop();
      const r = normalizePhone(input, phoneOptions);
      if (r.ok)
        unique.set(r.e164, {
          operator: r.operator,
          price: pricePerSegment(r.e164, r.operator, priceTable),
          route: carriersFor(r.e164, r.operator, config.routes, carrierIds),
        });
      else invalid.push({ input: r.input, reason: r.reason });
    }
    if (invalid.length)
      throw new GatewayError('INVALID_PHONE', `${invalid.length} recipient number(s) are not valid`, {
        invalid,
      });
    const out = accountId === null ? new Set() : await optedOut(accountId, [...unique.keys()]);
    const suppressed = [...unique.keys()].filter((phone) => out.has(phone));
    for (const phone of suppressed) unique.delete(phone);
    if (unique.size === 0)
      throw new GatewayError(
        'RECIPIENT_OPTED_OUT',
        suppressed.length === 1
          ? `${suppressed[0]} has opted out: nothing was sent`
          : `All ${suppressed.length} recipients have opted out: nothing was sent`,
        { suppressed: suppressed.map((phone) => ({ phone, reason: 'opted_out' as const })) },
      );
    // Only a priced destination is sendable; refused here, before anything is charged.
    const unpriced = [...unique].filter(([, r]) => r.price === null).map(([phone]) => phone);
    if (unpriced.length) throw unsupportedDestinations(unpriced);
    const unroutable = [...unique].filter(([, r]) => r.route.length === 0).map(([phone]) => phone);
    if (unroutable.length)
      throw new GatewayError('NO_ROUTE', 'No carrier route for some recipients', {
        phones: unroutable,
        encoding: null,
      });
    return { unique, suppressed };
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

  /** A UCS-2 message needs a carrier on each recipient's route that carries UCS-2. */
  function checkUcs2Routes(unique: ReadonlyMap<string, { route: readonly string[] }>) {
    const carriesUcs2 = (id: string) => carriers.get(id)?.capabilities?.ucs2 !== false;
    const phones = [...unique].filter(([, r]) => !r.route.some(carriesUcs2)).map(([phone]) => phone);
    if (phones.length)
      throw new GatewayError(
        'NO_ROUTE',
        'No carrier on the route of some recipients carries Unicode (UCS-2) text; use GSM-7 characters only',
        { phones, encoding: 'UCS-2' },
      );
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
        field: 'message',
        contact_id: null,
      });
  }

  function schedule(text: string | undefined, now: number): number | null {
    if (text === undefined) return null;
    const at = parseInstant(text);
    if (at === null) throw invalidField('schedule_time', 'must be an ISO 8601 date-time with a UTC offset');
    if (at - now > rules.maxScheduleDays * DAY_MS)
      throw invalidField('schedule_time', `is more than ${rules.maxScheduleDays} days ahead`);
    return at > now ? at : null;
  }

  /** A reply's recipients: the number it answers, which `given` (when given) must be and only be. */
  function replyRecipients(given: readonly string[] | undefined, reply: ReplyOrigin): string[] {
    if (given === undefined) return [reply.from];
    const others = given.filter((text) => {
      const r = normalizePhone(text, phoneOptions);
      return !r.ok || r.e164 !== reply.from;
    });
    if (given.length === 0 || others.length > 0)
      throw invalidField(
        'recipients',
        `must be ${reply.from}, the number reply_to came from (or left out)`,
        `A reply goes only to ${reply.from}, the number reply_to came from`,
      );
    return [reply.from];
  }

  /** A long list of numbers is normalised in turns, so it does not hold other requests. */
  return async function draft(
    principal: Principal,
    input: SendInput,
    now: number,
    options: DraftOptions = {},
  ): Promise<Draft> {
    const { maxRecipients = rules.maxRecipients, suppress = true, reply } = options;
    const trafficClass = input.traffic_class ?? 'transactional';
    const inputs = reply ? replyRecipients(input.recipients, reply) : input.recipients;
    if (inputs === undefined)
      throw invalidField('recipients', 'is required (unless reply_to is given)', 'recipients is required');
    if (inputs.length > maxRecipients)
      throw invalidField(
        'recipients',
        `has more than ${maxRecipients} numbers`,
        `At most ${maxRecipients} recipients per request`,
      );
    const senderId = input.sender_id ?? reply?.to ?? 'MIFUMO';
    // A reply may come from the number it answers: the gateway receives on it, so it may send as it.
    // Any other is gateway-wide, or one of the account's own, approved for each recipient's operator.
    const own =
      senderId === reply?.to || senders.gatewayWide(senderId)
        ? null
        : (options.ownSenderIds ?? (await ownSenderIds(principal.accountId)));
    if (own) senders.checkOwned(senderId, own);
    const { unique, suppressed } = await checkRecipients(
      inputs,
      suppress && suppressesOptOuts(trafficClass) ? principal.accountId : null,
    );
    if (own) senders.checkOperators(senderId, own, unique);
    const requestedAt = schedule(input.schedule_time, now);
    const promotion =
      trafficClass !== 'promotional'
        ? null
        : (options.promotion ?? (await promotionRules(principal.accountId, requestedAt ?? now)));
    const message = promotion?.footer ? withFooter(input.message, promotion.footer) : input.message;
    const analysis = analyzeMessage(message, {
      smartEncoding: input.smart_encoding ?? principal.smartEncoding ?? rules.smartEncoding,
      nationalLanguages: sharedLanguages([...unique.values()].map((r) => r.route)),
    });
    checkLength(analysis);
    if (analysis.encoding === 'UCS-2') checkUcs2Routes(unique);
    const deferredUntil = promotion?.window.deferUntil ?? null;
    const scheduledAt = deferredUntil ?? requestedAt;
    if (input.webhook_url !== undefined)
      checkWebhookUrl(input.webhook_url, config.webhooks.allowPrivateNetworks);
    let total = 0;
    const recipients = [...unique].map(([phone, { operator, price }]) => {
      const cost = analysis.segments * price!;
      total += cost;
      return { phone, operator, cost };
    });
    const validUntil =
      input.validity_period === undefined ? null : (scheduledAt ?? now) + input.validity_period * 1000;
    return {
      senderId,
      analysis,
      recipients,
      total,
      scheduledAt,
      validUntil,
      deferredUntil,
      held: promotion?.window.held ?? false,
      promotion,
      replyTo: reply?.id ?? null,
      trafficClass,
      suppressed,
      ownSenderIds: own,
    };
  };
}

export type Drafter = ReturnType<typeof createDrafter>;
