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
}

export interface SubmitResult {
  /** The carrier's own ids for what it accepted (one per part for some carriers). Never invented. */
  carrierMessageIds: string[];
}

/** A delivery receipt, normalised: the carrier's id and where the message ended. */
export interface DeliveryReport {
  carrierMessageId: string;
  status: 'delivered' | 'failed';
  /** When the carrier says it happened; defaults to when it was received. */
  at?: number | undefined;
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
}

/**
 * What became of a report: `applied` to its recipient; `duplicate` (the recipient already had a final
 * status); `held` (its id is not stored yet: it is applied once it is); `unknown` (no such carrier).
 */
export type ReportOutcome = 'applied' | 'duplicate' | 'held' | 'unknown';

/** A page of messages a carrier accepted that have no final report yet. */
export interface AwaitingReports {
  messages: { carrierMessageId: string; sentAt: number }[];
  /** Pass it back for the next page; null after the last. */
  next: string | null;
}

export interface CarrierContext {
  /** Feeds a delivery report back (push-style carriers: SMPP deliver_sm, a fake's timer). */
  report(report: DeliveryReport): Promise<ReportOutcome>;
  /**
   * What this carrier accepted and has not reported on yet, oldest first, a page at a time: for a
   * carrier that must pick its receipts up again after a restart (a status query; the fake's timers).
   */
  awaitingReports(next?: string | null): Promise<AwaitingReports>;
}

export interface CarrierCapabilities {
  /** National single shift tables (TS 23.038 A.2) the carrier passes on to handsets. */
  nationalLanguages?: readonly NationalLanguage[] | undefined;
}

export interface CarrierAdapter {
  readonly id: string;
  readonly type: string;
  readonly capabilities?: CarrierCapabilities | undefined;
  start?(ctx: CarrierContext): Promise<void> | void;
  submit(message: OutboundMessage, signal: AbortSignal): Promise<SubmitResult>;
  stop?(): Promise<void> | void;
}

/** What a carrier refused. `retryable` says whether trying again (later, or elsewhere) may succeed. */
export class CarrierError extends Error {
  readonly retryable: boolean;
  /** The carrier's raw error code, if it gave one. */
  readonly carrierCode: string | undefined;
  /** How long the carrier asked us to wait before trying again (a throttle), if it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: {
      retryable: boolean;
      carrierCode?: string | undefined;
      retryAfterMs?: number | undefined;
      cause?: unknown;
    },
  ) {
    super(message, { cause: options.cause });
    this.name = 'CarrierError';
    this.retryable = options.retryable;
    this.carrierCode = options.carrierCode;
    this.retryAfterMs = options.retryAfterMs;
  }
}
