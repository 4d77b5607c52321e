import type { Generated, Selectable } from 'kysely';
import type { RecipientStatus } from '../domain/message-status';
import type { ApprovalStatus, SenderIdUse } from '../domain/sender-approval';
import type { TrafficClass } from '../domain/traffic-class';

/**
 * Table types. Timestamps are ISO 8601 UTC strings (they sort as text on every dialect),
 * money is integer minor units, booleans are 0/1 integers: one schema for SQLite, PostgreSQL and D1.
 */
export interface Database {
  accounts: AccountsTable;
  sender_ids: SenderIdsTable;
  sender_id_operators: SenderIdOperatorsTable;
  api_keys: ApiKeysTable;
  messages: MessagesTable;
  recipients: RecipientsTable;
  carrier_refs: CarrierRefsTable;
  ledger_entries: LedgerEntriesTable;
  contacts: ContactsTable;
  contact_tags: ContactTagsTable;
  segments: SegmentsTable;
  rate_limits: RateLimitsTable;
  carrier_fleet_state: CarrierFleetStateTable;
  idempotency_keys: IdempotencyKeysTable;
  held_reports: HeldReportsTable;
  inbound_messages: InboundMessagesTable;
  inbound_numbers: InboundNumbersTable;
  webhook_settings: WebhookSettingsTable;
  webhook_events: WebhookEventsTable;
  runtime_settings: RuntimeSettingsTable;
  activity_log: ActivityLogTable;
  dashboard_sessions: DashboardSessionsTable;
  campaigns: CampaignsTable;
  staged_messages: StagedMessagesTable;
  staged_recipients: StagedRecipientsTable;
  account_compliance: AccountComplianceTable;
  compliance_pauses: CompliancePausesTable;
  opt_outs: OptOutsTable;
  consent_events: ConsentEventsTable;
}

/** An account's own compliance settings; each null column is the configuration's (`compliance.*`). */
export interface AccountComplianceTable {
  account_id: string;
  /** JSON `{ start, end, timeZone }`, or `none` for no quiet hours. */
  quiet_hours: string | null;
  opt_out_footer: string | null;
  opt_out_reply: string | null;
  opt_in_reply: string | null;
  help_reply: string | null;
  updated_at: string;
}

/**
 * A pause of one traffic class (only `promotional` for now): gateway-wide when `account_id` is null.
 * In force from `created_at` until `until` (null: until resumed) or until `resumed_at`.
 */
export interface CompliancePausesTable {
  id: string;
  account_id: string | null;
  traffic_class: string;
  until: string | null;
  created_at: string;
  /** `cli`, `key:<id>` or `in-process`, as in the activity log. */
  created_by: string;
  resumed_at: string | null;
  resumed_by: string | null;
}

/** Where an opt-out or opt-in came from. */
export type ConsentSource = 'keyword' | 'api' | 'import' | 'carrier' | 'dashboard';

/** A number the account's promotional and transactional messages are no longer sent to. */
export interface OptOutsTable {
  account_id: string;
  /** E.164, as recipients are stored. */
  phone: string;
  reason: string | null;
  source: ConsentSource;
  /** The inbound message (a STOP keyword) it came from. */
  inbound_id: string | null;
  /** The API key that added it. */
  api_key_id: string | null;
  /**
   * The `consent_events` row of this opt-out: written only where this row is (so a number opted out
   * twice at once is logged once), and claimed by the opt-in that removes it (so it is logged once too).
   */
  event_id: string;
  created_at: string;
}

/** The append-only log of every opt-out and opt-in of an account's numbers. */
export interface ConsentEventsTable {
  id: string;
  account_id: string;
  phone: string;
  action: 'opted_out' | 'opted_in';
  source: ConsentSource;
  inbound_id: string | null;
  api_key_id: string | null;
  reason: string | null;
  /** What shows the subscriber agreed again (an opt-in), or what the carrier said. */
  evidence: string | null;
  created_at: string;
}

/** A large campaign's message before it is moved into `messages` (the same columns, `campaign_id` set). */
export type StagedMessagesTable = Omit<Selectable<MessagesTable>, 'campaign_id' | 'reply_to'> & {
  campaign_id: string;
};

/** A large campaign's recipient before it is moved into `recipients`: what a new recipient has, and its campaign. */
export type StagedRecipientsTable = Pick<
  Selectable<RecipientsTable>,
  | 'id'
  | 'message_id'
  | 'account_id'
  | 'phone'
  | 'operator'
  | 'cost'
  | 'status'
  | 'next_attempt_at'
  | 'created_at'
  | 'updated_at'
> & { campaign_id: string };

/** A campaign: its template, how its audience was chosen and counted at acceptance, and its charge. */
export interface CampaignsTable {
  id: string;
  account_id: string;
  name: string;
  template: string;
  sender_id: string;
  /** `segment`, `contacts` or `recipients`. */
  audience: string;
  segment_id: string | null;
  schedule_time: string | null;
  webhook_url: string | null;
  recipient_count: number;
  excluded_inactive: number;
  excluded_duplicates: number;
  /** Audience members left out because they opted out (not for `otp`). */
  excluded_opted_out: number;
  traffic_class: TrafficClass;
  /** A promotional campaign put off at acceptance (quiet hours, a pause with an end): until when. */
  deferred_until: string | null;
  /** 1: accepted during a pause without an end; it waits for the resume. */
  held_until_resumed: number;
  /** Charged at acceptance, minor units. */
  cost: number;
  currency: string;
  api_key_id: string | null;
  created_at: string;
  cancelled_at: string | null;
}

/** A dashboard sign-in. The token is in the browser's cookie only; this keeps its SHA-256. */
export interface DashboardSessionsTable {
  /** SHA-256 of the session token, hex. */
  id: string;
  account_id: string;
  /** The admin key signed in with: revoking it ends the session. */
  api_key_id: string;
  created_at: string;
  expires_at: string;
  /** Signed out. */
  revoked_at: string | null;
  /** The language this session chose; null: the account's. */
  language: string | null;
}

/** Who changed what on an account (money moves are in the ledger). */
export interface ActivityLogTable {
  id: string;
  account_id: string;
  /** `key:<id>` (over the API), `cli`, or `in-process`. */
  actor: string;
  action: string;
  /** The id of what it was done to. */
  subject: string | null;
  /** JSON. */
  details: string | null;
  created_at: string;
}

/** Values a runtime keeps in the database (the Workers runtime's server secret when none is configured). */
export interface RuntimeSettingsTable {
  name: string;
  value: string;
}

/** An account's webhook settings; made with its first signing secret when first needed. */
export interface WebhookSettingsTable {
  account_id: string;
  /** Where events go when the send named no `webhook_url`; null: nowhere. */
  url: string | null;
  /** 1: send `Authorization: Bearer <the key that sent the message>` (the seed's way), 0: signature only. */
  bearer_auth: Generated<number>;
  /** Sealed (AES-GCM, the server secret). */
  signing_secret: string;
  /** The secret before the last rotation, still signed with until `previous_valid_until`. Sealed. */
  previous_signing_secret: string | null;
  previous_valid_until: string | null;
  created_at: string;
  updated_at: string;
}

/** A recipient's status change. */
export type StatusEventName = 'sent' | 'delivered' | 'failed' | 'expired';
/** A recipient's status change, or (`received`) a message a subscriber sent in. */
export type WebhookEventName = StatusEventName | 'received';
export type WebhookDeliveryStatus = 'pending' | 'in_progress' | 'succeeded' | 'failed';

/**
 * The webhook outbox: one event per recipient status change to sent, delivered or failed, and one per
 * assigned inbound message (`received`), written in the same atomic step as the change or the inbound
 * row. A recipient's events are delivered in (`sort_key`, `id`) order.
 */
export interface WebhookEventsTable {
  id: string;
  account_id: string;
  /** The message; for `received`, the inbound message's id (no foreign key: it names either). */
  message_id: string;
  /**
   * The recipient; for `received`, the inbound message's id too, so the unique (`recipient_id`,
   * `event`) keeps its event once.
   */
  recipient_id: string;
  event: WebhookEventName;
  /**
   * Creation time in ms × 2, + 1 for a final event, and always past its recipient's `sent` event: so a
   * recipient's `sent` comes first even when another process with a slower clock made its final event.
   */
  sort_key: number;
  /** When the recipient reached `event` (the payload's `delivery_time`). */
  occurred_at: string;
  /** The send's `webhook_url`; null: the account's URL at delivery time. */
  url: string | null;
  status: WebhookDeliveryStatus;
  attempts: Generated<number>;
  next_attempt_at: string;
  /** Retried until then, then given up. */
  expires_at: string;
  claim_token: string | null;
  claim_expires_at: string | null;
  last_http_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A delivery report that arrived before its carrier id was stored; applied once it is, or dropped when too old. */
export interface HeldReportsTable {
  carrier_id: string;
  carrier_message_id: string;
  status: 'delivered' | 'failed';
  /** When the carrier says it happened. */
  reported_at: string | null;
  error_code: string | null;
  error_message: string | null;
  received_at: string;
  /** The report's first spelling of its id: every row of one hold shares it (one row per spelling). */
  hold_id: string;
  /** After this it is dropped; it only matches submissions stored before. */
  expires_at: string;
  /** 1: the report said the subscriber blocks the sender (`DeliveryReport.optedOut`). Defaults to 0. */
  opted_out: Generated<number>;
}

/** A send made with an Idempotency-Key, and the response its retries get. */
export interface IdempotencyKeysTable {
  account_id: string;
  key: string;
  /** SHA-256 of the request body. */
  fingerprint: string;
  response: string;
  created_at: string;
}

/** GCRA state: one theoretical arrival time (ms since the epoch, fractional) per limit key. */
export interface RateLimitsTable {
  key: string;
  tat: number;
}

/** Each carrier's state shared by every process on the database (ms since the epoch, fractional). */
export interface CarrierFleetStateTable {
  carrier_id: string;
  /** The first submit slot no process has claimed (`submitsPerSecond` pacing). */
  next_slot_at: number;
  /** Where the latest claim's slots start: what that claim's `RETURNING` reads. */
  claimed_from: number;
  /** Until when its circuit is open (then one process probes it); 0 while closed. */
  open_until: number;
}

export interface AccountsTable {
  id: string;
  name: string;
  /** Minor units; a CHECK constraint (accounts_balance_nonnegative) keeps it at zero or above. */
  balance: number;
  currency: string;
  /** 1 on, 0 off, null: the configured default. */
  smart_encoding: number | null;
  /** Per-account limits; null: the configured default. */
  sms_per_minute: number | null;
  api_calls_per_hour: number | null;
  contact_ops_per_hour: number | null;
  /** The dashboard's language (`en`, `sw`); null: the default (English). */
  language: string | null;
  /** The IANA time zone the dashboard shows times in; null: the quiet hours' zone. */
  time_zone: string | null;
  /** Bumped by every change to the account's contacts, so cached segment counts know they are stale. */
  contacts_version: Generated<number>;
  created_at: string;
  updated_at: string;
}

/**
 * An account's sender ID, asked for (`use`, `note`) or added by the operator (both null), with its
 * decision for every operator that has none of its own in `sender_id_operators`.
 */
export interface SenderIdsTable {
  account_id: string;
  sender_id: string;
  status: Generated<ApprovalStatus>;
  /** Why it was rejected; null otherwise. */
  reason: string | null;
  /** When it was approved or rejected for every operator; null while pending. */
  decided_at: string | null;
  /** What the account asked for it for; null when the operator added it. */
  use: SenderIdUse | null;
  note: string | null;
  /** When it was asked for (or added). */
  created_at: string;
}

/** One operator's own decision on an account's sender ID (overriding the sender ID's own `status`). */
export interface SenderIdOperatorsTable {
  account_id: string;
  sender_id: string;
  operator: string;
  status: ApprovalStatus;
  reason: string | null;
  decided_at: string;
}

export interface ApiKeysTable {
  id: string;
  account_id: string;
  name: string;
  /** The first characters of the key, shown so a user can tell keys apart. */
  prefix: string;
  /** SHA-256 of the whole key, hex. The key itself is never stored. */
  key_hash: string;
  /** Comma-separated: read, write, admin. */
  permissions: string;
  /** The key sealed with the server secret (AES-GCM), for webhooks' Bearer header; null once revoked. */
  sealed_key: Generated<string | null>;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** Refused from then on; null: never expires. */
  expires_at: string | null;
}

export interface MessagesTable {
  id: string;
  account_id: string;
  sender_id: string;
  body: string;
  encoding: string;
  segments: number;
  /** The national single shift table the body is sent with, or null for the default alphabet. */
  national_language: string | null;
  /** Total cost in minor units, all recipients. */
  cost: number;
  currency: string;
  recipient_count: number;
  schedule_time: string | null;
  /** Not submitted after this (the send's `validity_period`); null without one. Defaults to null on insert. */
  valid_until: Generated<string | null>;
  webhook_url: string | null;
  /** The API key that sent it (its webhooks carry it as Bearer); null when sent in process. */
  api_key_id: Generated<string | null>;
  /** The campaign it is part of; null for a plain send. */
  campaign_id: Generated<string | null>;
  /** The inbound message it answers (`reply_to`); null for any other. Defaults to null on insert. */
  reply_to: Generated<string | null>;
  traffic_class: TrafficClass;
  created_at: string;
}

/** One row per recipient of a message: its delivery state and, while pending, the outbox entry. */
export interface RecipientsTable {
  id: string;
  message_id: string;
  account_id: string;
  phone: string;
  operator: string | null;
  cost: number;
  status: RecipientStatus;
  /** Defaults to 0 on insert. */
  attempts: Generated<number>;
  /** When a dispatcher may next take it (the schedule time, or a retry's backoff). */
  next_attempt_at: string;
  claim_token: string | null;
  claim_expires_at: string | null;
  carrier_id: string | null;
  carrier_message_id: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: string;
  sent_at: string | null;
  delivered_at: string | null;
  failed_at: string | null;
  /** When it became `expired`. Defaults to null on insert. */
  expired_at: Generated<string | null>;
  updated_at: string;
}

/**
 * The carrier's ids for what it accepted (one per part), to match its delivery reports. A recipient is
 * delivered once every part is, failed as soon as any part is.
 */
export interface CarrierRefsTable {
  carrier_id: string;
  carrier_message_id: string;
  recipient_id: string;
  /** This part's final report; null until it comes. */
  status: Generated<'delivered' | 'failed' | null>;
}

/** A message a subscriber sent in (MO), and the account whose number (and keyword) it came in on. */
export interface InboundMessagesTable {
  id: string;
  carrier_id: string;
  /** The carrier's id, when it gives one; unique per carrier, so a resent callback is stored once. */
  carrier_message_id: string | null;
  /** E.164 (or a short code's digits) when the carrier's number reads as one; else as it came. */
  sender: string;
  /** The number it was sent to, kept as `inbound_numbers.number` keeps numbers where it reads as one. */
  recipient: string;
  body: string;
  received_at: string;
  created_at: string;
  /** The account of the number it matched; null: unassigned (no number matched). */
  account_id: Generated<string | null>;
  number_id: Generated<string | null>;
  /** The matched number's keyword; null when that number has none (or none matched). */
  keyword: Generated<string | null>;
  /** The account's latest message to `sender` within 7 days before it was received; null: none. */
  in_reply_to: Generated<string | null>;
}

/**
 * A number (long number or short code) an account receives on, alone or shared by keyword: a
 * message to `number` whose first word folds to `keyword` is that account's ('' matches the rest).
 */
export interface InboundNumbersTable {
  id: string;
  account_id: string;
  /** E.164, or a short code's 3-8 digits. */
  number: string;
  /** Folded (`foldKeyword`): upper case, no accents, no punctuation; '' for none. Unique with `number`. */
  keyword: string;
  /** Only messages from this carrier match; null: any carrier. */
  carrier_id: string | null;
  /** Where its `message.received` events go; null: the account's webhook URL. */
  webhook_url: string | null;
  created_at: string;
}

export interface LedgerEntriesTable {
  id: string;
  account_id: string;
  /** Minor units: negative for a debit. */
  amount: number;
  balance_after: number;
  kind: 'send' | 'topup' | 'refund' | 'initial';
  /** What it is for (message or recipient id); unique per kind, so nothing is charged or refunded twice. */
  reference: string | null;
  created_at: string;
}

export interface ContactsTable {
  id: string;
  account_id: string;
  name: string;
  phone: string;
  email: string | null;
  /** `name` and `email` folded for search (`foldForSearch`). */
  search_name: string;
  search_email: string | null;
  is_active: number;
  created_at: string;
  updated_at: string;
}

export interface ContactTagsTable {
  contact_id: string;
  account_id: string;
  /** Trimmed and lower-cased: what segments and filters match. */
  tag: string;
  /** As entered (trimmed): what is shown. */
  label: string;
  /** Its place among the contact's tags as entered (from 0): the order they are shown in. */
  position: number;
}

export interface SegmentsTable {
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  /** JSON of the segment criteria. */
  criteria: string;
  /** Members when last counted, at the account's `contacts_version` `counted_version`; null: never. */
  member_count: number | null;
  counted_version: number | null;
  created_at: string;
}
