import { z } from 'zod';
import { PERMISSIONS } from '../../auth/api-key';
import { MESSAGE_STATUSES, PUBLIC_STATUSES } from '../../domain/message-status';
import { TRAFFIC_CLASSES } from '../../domain/traffic-class';
import { segmentCriteria } from '../../services/segment-criteria';

/**
 * The `data` of each successful response, as zod schemas: what the OpenAPI document shows, and what a
 * test checks real responses against (strictly, so the document cannot drift from the code).
 */
const instant = z.iso.datetime({ offset: true });
const money = z.number().meta({ description: 'Major units of `currency` (TZS), at most two decimals' });
const encoding = z.enum(['GSM-7', 'UCS-2']);
const replacement = z.strictObject({ from: z.string(), to: z.string(), count: z.number().int() });
const pagination = z.strictObject({
  page: z.number().int(),
  per_page: z.number().int(),
  total: z.number().int(),
  total_pages: z.number().int(),
});
const validUntil = instant
  .nullable()
  .meta({ description: 'Never submitted after this (the send’s validity_period); null without one' });
const trafficClass = z
  .enum(TRAFFIC_CLASSES)
  .meta({ description: 'What it is for: transactional (default), promotional or otp' });
const suppressed = z
  .array(z.strictObject({ phone: z.string(), reason: z.literal('opted_out') }))
  .meta({ description: 'Recipients left out (not sent, not charged): the account has opted them out' });
const deferral = {
  deferred_until: instant.nullable().meta({
    description:
      'A promotional message due in the account’s quiet hours or a pause with an end is put off to the first instant allowed (its schedule_time then); null otherwise',
  }),
  held_until_resumed: z.boolean().meta({
    description:
      'A promotional message accepted during a pause without an end: `scheduled`, it goes once the pause is resumed',
  }),
};
const recipientError = z.strictObject({ code: z.string(), message: z.string().nullable() }).nullable();
const recipient = z.strictObject({
  phone: z.string(),
  status: z.enum(PUBLIC_STATUSES),
  cost: money,
  sent_at: instant.nullable(),
  delivery_time: instant.nullable(),
  failed_at: instant.nullable(),
  expired_at: instant.nullable().meta({
    description: 'When it became `expired`: no final receipt in time, or not submitted within its validity',
  }),
  error: recipientError,
});

export const sendData = z.strictObject({
  message_id: z.string(),
  recipients: z.array(z.string()),
  status: z.enum(['queued', 'scheduled']),
  sender_id: z.string(),
  cost: money,
  currency: z.string(),
  segments: z.number().int(),
  encoding,
  schedule_time: instant.nullable(),
  ...deferral,
  valid_until: validUntil,
  recipient_costs: z.array(z.strictObject({ phone: z.string(), cost: money })),
  replacements: z.array(replacement),
  national_language: z.string().nullable(),
  traffic_class: trafficClass,
  suppressed,
});

export const quoteData = z.strictObject({
  recipients: z.array(z.string()),
  sender_id: z.string(),
  encoding,
  units: z.number().int(),
  segments: z.number().int(),
  parts: z.array(z.string()),
  non_gsm_characters: z.array(z.string()),
  replacements: z.array(replacement),
  national_language: z.string().nullable(),
  recipient_costs: z.array(
    z.strictObject({ phone: z.string(), operator: z.string().nullable(), cost: money }),
  ),
  cost: money,
  currency: z.string(),
  balance: money,
  balance_sufficient: z.boolean(),
  schedule_time: instant.nullable(),
  ...deferral,
  traffic_class: trafficClass,
  suppressed,
});

const campaignId = z
  .string()
  .nullable()
  .meta({ description: 'The campaign it is part of; null for a plain send' });

export const statusData = z.strictObject({
  message_id: z.string(),
  campaign_id: campaignId,
  traffic_class: trafficClass,
  status: z.enum(MESSAGE_STATUSES),
  delivery_time: instant.nullable(),
  sender_id: z.string(),
  message: z.string(),
  encoding,
  segments: z.number().int(),
  cost: money,
  currency: z.string(),
  created_at: instant,
  schedule_time: instant.nullable(),
  valid_until: validUntil,
  reply_to: z
    .string()
    .nullable()
    .meta({ description: 'The inbound message it answers (the send’s reply_to); null for any other' }),
  recipients: z.array(recipient),
});

export const reportsData = z.strictObject({
  reports: z.array(
    recipient.extend({
      message_id: z.string(),
      campaign_id: campaignId,
      sender_id: z.string(),
      segments: z.number().int(),
      currency: z.string(),
      created_at: instant,
    }),
  ),
  pagination,
});

export const messagesData = z.strictObject({
  messages: z.array(
    z.strictObject({
      message_id: z.string(),
      campaign_id: campaignId,
      traffic_class: trafficClass,
      status: z.enum(MESSAGE_STATUSES),
      sender_id: z.string(),
      message: z.string(),
      encoding,
      segments: z.number().int(),
      recipients: z.number().int(),
      recipient_statuses: z
        .strictObject({
          scheduled: z.number().int(),
          queued: z.number().int(),
          sent: z.number().int(),
          delivered: z.number().int(),
          failed: z.number().int(),
          expired: z.number().int(),
        })
        .meta({ description: 'Recipients by their status' }),
      cost: money,
      currency: z.string(),
      created_at: instant,
      schedule_time: instant.nullable(),
    }),
  ),
  pagination,
});

const CAMPAIGN_STATUSES = ['preparing', 'scheduled', 'sending', 'completed', 'cancelled'] as const;

const campaign = z.strictObject({
  id: z.string(),
  name: z.string(),
  message: z.string().meta({ description: 'The template' }),
  sender_id: z.string(),
  audience: z.strictObject({
    type: z.enum(['segment', 'contacts', 'recipients']),
    segment_id: z.string().nullable(),
  }),
  schedule_time: instant.nullable(),
  webhook_url: z.string().nullable(),
  status: z.enum(CAMPAIGN_STATUSES).meta({
    description:
      '`preparing` while its recipients are still being stored after acceptance (a large campaign: more than 1,000 recipients; they count as queued, and it is charged already); then `scheduled` until its schedule time (or, held by a pause without an end, until its first recipient goes), `sending` while any recipient awaits a final status, `completed`, or `cancelled`',
  }),
  recipients: z.number().int().meta({ description: 'Recipients it was accepted for' }),
  traffic_class: trafficClass,
  ...deferral,
  excluded: z
    .strictObject({
      inactive: z.number().int(),
      duplicates: z.number().int(),
      opted_out: z.number().int(),
    })
    .meta({
      description:
        'Left out at acceptance: inactive contacts, repeated numbers or contact ids, numbers the account opted out (not for otp)',
    }),
  progress: z
    .strictObject({
      queued: z.number().int(),
      sent: z.number().int(),
      delivered: z.number().int(),
      failed: z.number().int(),
      expired: z.number().int(),
      cancelled: z.number().int(),
    })
    .meta({
      description:
        'Recipients by status now (queued includes scheduled, and those still being stored while preparing)',
    }),
  pending: z.number().int().meta({ description: 'Queued or sent, awaiting a final status' }),
  cost: money.meta({ description: 'Charged at acceptance' }),
  refunded: money.meta({ description: 'Given back since: cancelled recipients, and those no carrier took' }),
  currency: z.string(),
  created_at: instant,
  cancelled_at: instant.nullable(),
});
export const campaignData = campaign;
export const campaignsData = z.strictObject({ campaigns: z.array(campaign), pagination });
export const cancelData = campaign.extend({
  cancelled_now: z.number().int().meta({ description: 'Recipients this cancel stopped' }),
  refunded_now: money.meta({ description: 'What this cancel gave back' }),
  was: z.enum(CAMPAIGN_STATUSES).meta({ description: 'Its status before this cancel' }),
});
export const campaignQuoteData = z.strictObject({
  recipients: z.number().int(),
  traffic_class: trafficClass,
  ...deferral,
  excluded: z.strictObject({
    inactive: z.number().int(),
    duplicates: z.number().int(),
    opted_out: z.number().int(),
  }),
  texts: z.number().int().meta({ description: 'Distinct personalised texts' }),
  segments: z.number().int().meta({ description: 'Segments over all recipients' }),
  cost: money,
  currency: z.string(),
  balance: money,
  balance_sufficient: z.boolean(),
  sample: z.array(
    z.strictObject({
      message: z.string(),
      recipients: z.number().int(),
      segments: z.number().int(),
      encoding,
    }),
  ),
});

export const balanceData = z.strictObject({ balance: money, currency: z.string(), last_updated: instant });

const contact = z.strictObject({
  id: z.string(),
  name: z.string(),
  phone_number: z.string(),
  email: z.string().nullable(),
  tags: z.array(z.string()),
  is_active: z.boolean(),
  created_at: instant,
  updated_at: instant,
});
export const contactData = contact;
export const contactsData = z.strictObject({ contacts: z.array(contact), pagination });
export const importData = z.strictObject({
  received: z.number().int().meta({ description: 'Rows read' }),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int().meta({ description: 'Numbers already there, left alone (on_conflict=skip)' }),
  failed: z.number().int().meta({ description: 'Rows refused' }),
  errors: z.array(
    z.strictObject({
      row: z.number().int().meta({ description: 'The CSV line (the header is 1), or the array index + 1' }),
      field: z.string().nullable(),
      reason: z.string(),
    }),
  ),
});
const optOut = z.strictObject({
  phone_number: z.string().meta({ description: 'E.164' }),
  reason: z.string().nullable(),
  source: z.enum(['keyword', 'api', 'import', 'carrier', 'dashboard']).meta({
    description:
      'api (this API), import, carrier (the carrier said the subscriber blocks the sender), keyword (the subscriber’s STOP or START by SMS to the account’s number; the history names its inbound_id), dashboard',
  }),
  created_at: instant,
});
export const optOutData = optOut;
export const optOutsData = z.strictObject({ opt_outs: z.array(optOut), pagination });
export const optInData = optOut.extend({ opted_in_at: instant });
export const optOutImportData = importData.omit({ updated: true }).extend({
  created: z.number().int().meta({ description: 'Numbers opted out now' }),
  skipped: z.number().int().meta({ description: 'Numbers already opted out, left as they were' }),
});
export const optOutHistoryData = z.strictObject({
  phone_number: z.string(),
  events: z.array(
    z.strictObject({
      id: z.string(),
      action: z.enum(['opted_out', 'opted_in']),
      source: optOut.shape.source,
      reason: z.string().nullable(),
      evidence: z.string().nullable().meta({
        description: 'What showed the subscriber agreed again (an opt-in), or what the carrier said',
      }),
      api_key_id: z.string().nullable(),
      inbound_id: z.string().nullable().meta({ description: 'The inbound message (STOP) it came from' }),
      created_at: instant,
    }),
  ),
  pagination,
});

export const searchData = z.strictObject({
  contacts: z.array(contact),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

const segment = z.strictObject({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  criteria: segmentCriteria,
  contact_count: z.number().int(),
  created_at: instant,
});
export const segmentData = segment;
export const segmentsData = z.strictObject({ segments: z.array(segment), pagination });

const apiKey = z.strictObject({
  id: z.string(),
  account_id: z.string(),
  name: z.string(),
  prefix: z.string().meta({ description: 'The first characters of the key, to tell keys apart' }),
  permissions: z.array(z.enum(PERMISSIONS)),
  created_at: instant,
  last_used_at: instant.nullable(),
  revoked_at: instant.nullable(),
  expires_at: instant.nullable().meta({ description: 'Refused from then on; null: never expires' }),
});
export const keyData = apiKey;
export const newKeyData = apiKey.extend({
  key: z.string().meta({ description: 'The key itself, shown this once' }),
});
export const keysData = z.strictObject({ keys: z.array(apiKey), pagination });
export const rotatedKeyData = apiKey.extend({
  key: z.string().meta({ description: 'The new key itself, shown this once' }),
  replaced: apiKey.meta({ description: 'The old key: revoked, or expiring at the end of the grace period' }),
});

export const webhookSettingsData = z.strictObject({
  url: z.string().nullable(),
  bearer_auth: z.boolean(),
  signing_secret: z.string(),
  previous_secret_valid_until: instant.nullable(),
});
const delivery = z.strictObject({
  id: z.string(),
  message_id: z.string(),
  recipient_id: z.string(),
  event: z.enum(['sent', 'delivered', 'failed', 'expired', 'received']).meta({
    description: '`received`: a `message.received` event; message_id and recipient_id are its inbound id',
  }),
  url: z.string().nullable(),
  status: z.enum(['pending', 'in_progress', 'succeeded', 'failed']),
  attempts: z.number().int(),
  last_http_status: z.number().int().nullable(),
  last_error: z.string().nullable(),
  next_attempt_at: instant.nullable(),
  retry_until: instant,
  delivered_at: instant.nullable(),
  created_at: instant,
});
export const deliveryData = delivery;
export const deliveriesData = z.strictObject({ deliveries: z.array(delivery), pagination });

export const carriersData = z.strictObject({
  carriers: z.array(
    z.strictObject({
      id: z.string(),
      type: z.string().meta({ description: 'smpp, beem, africastalking, http, fake, …' }),
      state: z.enum(['bound', 'connecting', 'down', 'ready', 'breaker_open']),
      last_error: z
        .strictObject({ message: z.string(), at: instant })
        .nullable()
        .meta({ description: 'What last went wrong with a submit or the link, and when' }),
      in_flight: z.number().int().meta({ description: 'Submits sent and not answered yet' }),
      submits_last_minute: z.number().int(),
    }),
  ),
});

export const callbackData = z.strictObject({
  reports: z.strictObject({
    applied: z.number().int(),
    held: z.number().int(),
    duplicate: z.number().int(),
    dropped: z
      .number()
      .int()
      .describe(
        'Reports for ids not stored yet that found the carrier’s hold full (dispatch.maxHeldReports)',
      ),
    unknown: z.number().int(),
  }),
  inbound: z.strictObject({ stored: z.number().int(), duplicate: z.number().int() }),
});

export const activityData = z.strictObject({
  activity: z.array(
    z.strictObject({
      id: z.string(),
      action: z.string().meta({
        description:
          'key.created, key.revoked, key.rotated, account.settings_changed, sender_id.added, number.added, number.removed, webhook.updated, webhook.secret_rotated, webhook.resent, contacts.imported, dashboard.signed_in, dashboard.signed_out; from the ledger: sms.sent, sms.refunded, balance.topup, account.opened',
      }),
      actor: z
        .string()
        .nullable()
        .meta({ description: '`key:<id>`, `cli` or `in-process`; null when not known' }),
      subject: z.string().nullable(),
      details: z.record(z.string(), z.unknown()).nullable(),
      created_at: instant,
    }),
  ),
  pagination,
});

const keyword = z.string().nullable().meta({
  description: 'The number’s keyword it matched (upper case, no accents); null when the number has none',
});

export const inboundData = z.strictObject({
  id: z.string(),
  from: z.string().meta({ description: 'The subscriber: E.164 where the carrier gives a number' }),
  to: z.string().meta({ description: 'The account’s number it came in on: a short code’s digits, or E.164' }),
  text: z.string(),
  keyword,
  received_at: instant,
  carrier_id: z.string(),
  in_reply_to: z.string().nullable().meta({
    description: 'The account’s latest message to `from` within 7 days before it was received; null: none',
  }),
});
export const inboundListData = z.strictObject({ messages: z.array(inboundData), pagination });

export const numbersData = z.strictObject({
  numbers: z.array(
    z.strictObject({
      id: z.string(),
      number: z.string().meta({ description: 'A short code’s 3-8 digits, or E.164' }),
      keyword,
      carrier_id: z
        .string()
        .nullable()
        .meta({ description: 'Only messages from this carrier match; null: any carrier' }),
      webhook_url: z
        .string()
        .nullable()
        .meta({ description: 'Where its message.received events go; null: the account’s webhook URL' }),
      created_at: instant,
    }),
  ),
});

/** The body of a status webhook: one recipient's change. */
export const statusPayload = z.strictObject({
  message_id: z.string(),
  status: z.enum(['sent', 'delivered', 'failed', 'expired']),
  recipients: z.array(
    z.strictObject({
      phone: z.string(),
      status: z.enum(['sent', 'delivered', 'failed', 'expired']),
      delivery_time: instant,
    }),
  ),
  metadata: z.strictObject({ sender_id: z.string(), cost: money, currency: z.string() }),
});

/** The body of a `message.received` webhook: a message a subscriber sent to one of the account's numbers. */
export const receivedPayload = z.strictObject({
  event: z.literal('message.received'),
  inbound_id: z.string().meta({ description: 'Its id in GET /v1/sms/inbound/{inbound_id}/ (and reply_to)' }),
  from: inboundData.shape.from,
  to: inboundData.shape.to,
  text: z.string(),
  keyword,
  received_at: instant,
  in_reply_to: inboundData.shape.in_reply_to,
});
