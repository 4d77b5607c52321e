import type { Encoding, NationalLanguage } from '../encoding';

/** One recipient's copy of a message, as handed to a carrier. */
export interface OutboundMessage {
  /** Our id for this recipient's copy; the same on every retry, so it can serve as an idempotency key. */
  id: string;
  messageId: string;
  /** E.164. */
  to: string;
  from: string;
  text: string;
  encoding: Encoding;
  /** The text of each segment, from `analyzeMessage`; adapters only pack them for the wire. */
  parts: string[];
  /** The national single shift table the GSM-7 text uses (a UDH element on every part), or null. */
  nationalLanguage: NationalLanguage | null;
  /**
   * When the message stops being worth delivering (the send's validity period), epoch ms; undefined
   * without one. Adapters pass it on where the carrier takes one (SMPP `validity_period`).
   */
  validUntil?: number | undefined;
}

export interface SubmitResult {
  /** The carrier's own ids for what it accepted (one per part for some carriers). Never invented. */
  carrierMessageIds: string[];
}

/** A delivery receipt, normalised: the carrier's id and where the message (or one of its parts) ended. */
export interface DeliveryReport {
  carrierMessageId: string;
  /**
   * Other spellings the same id may have been stored under (an SMSC that answers a submit in hex and
   * reports in decimal, zero-padded, or in another case): the first one stored is matched.
   */
  alsoKnownAs?: readonly string[] | undefined;
  status: 'delivered' | 'failed';
  /** When the carrier says it happened; defaults to when it was received. */
  at?: number | undefined;
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  /**
   * The carrier says the subscriber blocks this sender (opted out at the carrier, e.g. Africa's
   * Talking `UserInBlackList`): the number is added to the account's opt-outs (source `carrier`).
   */
  optedOut?: boolean | undefined;
}

/**
 * What became of a report: `applied` to its recipient; `duplicate` (the recipient already had a final
 * status); `held` (its id is not stored yet: it is applied once it is); `dropped` (its id is not stored
 * and the carrier already has as many reports held as it may); `unknown` (no such carrier).
 */
export type ReportOutcome = 'applied' | 'duplicate' | 'held' | 'dropped' | 'unknown';

/** A page of messages a carrier accepted that have no final report yet. */
export interface AwaitingReports {
  messages: { carrierMessageId: string; sentAt: number }[];
  /** Pass it back for the next page; null after the last. */
  next: string | null;
}

/** A message a subscriber sent (MO), as the carrier passed it on: whole, its parts joined. */
export interface InboundMessage {
  /** The carrier's id for it, when it gives one: the same id is stored once. */
  carrierMessageId?: string | undefined;
  /** The sender, E.164 where the carrier gives a number. */
  from: string;
  /** The number or short code it was sent to. */
  to: string;
  text: string;
  /** When the carrier says it was received; defaults to now. */
  at?: number | undefined;
}

/** What a carrier's HTTP callback carried. */
export interface CallbackContent {
  reports: DeliveryReport[];
  inbound: InboundMessage[];
}

export interface CarrierContext {
  /** Feeds a delivery report back (push-style carriers: SMPP deliver_sm, a fake's timer). */
  report(report: DeliveryReport): Promise<ReportOutcome>;
  /**
   * What this carrier accepted and has not reported on yet, oldest first, a page at a time: for a
   * carrier that must pick its receipts up again after a restart (a status query; the fake's timers).
   */
  awaitingReports(next?: string | null): Promise<AwaitingReports>;
  /** Stores a message a subscriber sent; `duplicate` when its carrier id was stored before. */
  inbound(message: InboundMessage): Promise<'stored' | 'duplicate'>;
}

/** What a carrier can do; every field has a default (shown), so a simple adapter declares little. */
export interface CarrierCapabilities {
  /** Carries UCS-2 text (true). A carrier without it is skipped for UCS-2 messages, as if down. */
  ucs2?: boolean | undefined;
  /**
   * How a long message travels: a UDH in each part (`udh`), SAR TLVs (`sar`), one `message_payload`
   * (`payload`), or the whole text for the carrier to split (`carrier`, the default for HTTP APIs).
   */
  longMessages?: 'udh' | 'sar' | 'payload' | 'carrier' | undefined;
  /** How delivery reports come back: pushed through `ctx.report`, by `handleCallback`, or not at all (`none`). */
  reports?: 'push' | 'callback' | 'none' | undefined;
  /** Submits outstanding at once per connection (the adapter enforces it). */
  window?: number | undefined;
  /** Submits per second the carrier takes; the dispatcher paces submits to it (unlimited). */
  submitsPerSecond?: number | undefined;
  /** Where it can run: `any` runtime (`any`), or `node` only (it needs sockets). */
  runtime?: 'any' | 'node' | undefined;
  /** National single shift tables (TS 23.038 A.2) the carrier passes on to handsets ([]). */
  nationalLanguages?: readonly NationalLanguage[] | undefined;
}

/** How a carrier's link is now, as its adapter sees it. */
export interface CarrierStatus {
  /**
   * `bound` (a session to the SMSC is up), `connecting` (not yet, or again after a drop), `down` (it
   * could not connect or bind since; submits are not sent to it), or `ready` (no link to keep: HTTP).
   */
  state: 'bound' | 'connecting' | 'down' | 'ready';
  /** What last went wrong with the link, and when (epoch ms). */
  lastError?: { message: string; at: number } | undefined;
}

export interface CarrierAdapter {
  readonly id: string;
  readonly type: string;
  readonly capabilities?: CarrierCapabilities | undefined;
  start?(ctx: CarrierContext): Promise<void> | void;
  submit(message: OutboundMessage, signal: AbortSignal): Promise<SubmitResult>;
  stop?(): Promise<void> | void;
  /** The link's state, for a carrier that keeps one (SMPP); without it the carrier is always `ready`. */
  status?(): CarrierStatus;
  /**
   * Resolves when the work the adapter started in the background (receipts it will report later) is
   * done. Runtimes that end a request's work when its promises settle (Workers' `waitUntil`) wait for it.
   */
  settled?(): Promise<void>;
  /**
   * Reads a callback the carrier POSTed to `/v1/carriers/{id}/callback/` (delivery reports, inbound
   * messages). Throws a permanent CarrierError for a body it cannot read; the gateway answers 400.
   */
  handleCallback?(request: Request): Promise<CallbackContent>;
  /** The secret a callback must carry (`?token=` or `Authorization: Bearer`); without one, callbacks are refused. */
  readonly callbackToken?: string | undefined;
}

/** What a carrier refused. `retryable` says whether trying again (later, or elsewhere) may succeed. */
export class CarrierError extends Error {
  readonly retryable: boolean;
  /** The carrier's raw error code, if it gave one. */
  readonly carrierCode: string | undefined;
  /** How long the carrier asked us to wait before trying again (a throttle), if it said. */
  readonly retryAfterMs: number | undefined;
  /**
   * The refusal means the subscriber blocks this sender (Africa's Talking `UserInBlacklist`, an SMPP
   * carrier's configured `optOutErrorCodes`): the dispatcher adds the number to the message's account's
   * opt-outs (source `carrier`). Adapters set it; the core never reads error texts for it.
   */
  readonly optedOut: boolean;

  constructor(
    message: string,
    options: {
      retryable: boolean;
      carrierCode?: string | undefined;
      retryAfterMs?: number | undefined;
      optedOut?: boolean | undefined;
      cause?: unknown;
    },
  ) {
    super(message, { cause: options.cause });
    this.name = 'CarrierError';
    this.retryable = options.retryable;
    this.carrierCode = options.carrierCode;
    this.retryAfterMs = options.retryAfterMs;
    this.optedOut = options.optedOut === true;
  }
}
