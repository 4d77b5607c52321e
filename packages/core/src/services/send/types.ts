import type { TrafficClass } from '../../domain/traffic-class';
import type { Encoding, NationalLanguage, Replacement } from '../../encoding';

export interface SendInput {
  message: string;
  /** Required unless `reply_to` is given (then it defaults to, and may only be, the number replied to). */
  recipients?: string[] | undefined;
  /** The id of the account's inbound message this answers. */
  reply_to?: string | undefined;
  sender_id?: string | undefined;
  schedule_time?: string | undefined;
  /** Seconds from when it is due within which it must reach a carrier (60 to 604,800). */
  validity_period?: number | undefined;
  webhook_url?: string | undefined;
  /** Overrides the account's smart-encoding setting for this message. */
  smart_encoding?: boolean | undefined;
  /** `transactional` by default; all but `otp` skip numbers the account has opted out. */
  traffic_class?: TrafficClass | undefined;
}

/** A recipient left out of a send: the account has opted it out. */
export interface Suppressed {
  phone: string;
  reason: 'opted_out';
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
  /**
   * A promotional message due in its account's quiet hours or a pause with an end is put off to the
   * first instant allowed (then also its `schedule_time`); null otherwise.
   */
  deferred_until: string | null;
  /** A promotional message accepted during a pause without an end: it goes once the pause is resumed. */
  held_until_resumed: boolean;
  /** Never submitted after this (from `validity_period`); null without one. */
  valid_until: string | null;
  recipient_costs: { phone: string; cost: number }[];
  /** Smart-encoding replacements made to the text, if any. */
  replacements: Replacement[];
  national_language: NationalLanguage | null;
  traffic_class: TrafficClass;
  /** Recipients left out (not sent, not charged): opted out by the account. */
  suppressed: Suppressed[];
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
  /**
   * A promotional message due in its account's quiet hours or a pause with an end is put off to the
   * first instant allowed (then also its `schedule_time`); null otherwise.
   */
  deferred_until: string | null;
  /** A promotional message accepted during a pause without an end: it goes once the pause is resumed. */
  held_until_resumed: boolean;
  traffic_class: TrafficClass;
  suppressed: Suppressed[];
}
