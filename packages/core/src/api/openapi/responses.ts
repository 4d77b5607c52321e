import { z } from 'zod';
import { PERMISSIONS } from '../../auth/api-key';
import { count, e164, text } from '../../described';
import { MESSAGE_STATUSES, PUBLIC_STATUSES } from '../../domain/message-status';
import { APPROVAL_STATUSES, SENDER_ID_USES } from '../../domain/sender-approval';
import { TRAFFIC_CLASSES } from '../../domain/traffic-class';
import { segmentCriteria } from '../../services/segment-criteria';

/**
 * The `data` of each successful response, as zod schemas: what the OpenAPI document shows, and what a
 * test checks real responses against (strictly, so the document cannot drift from the code).
 */
const instant = z.iso.datetime({ offset: true });
/** An instant, described. */
const at = (description: string) => instant.meta({ description });
/** An instant or null, described. */
const atOrNull = (description: string) => instant.nullable().meta({ description });
const money = z.number().meta({ description: 'Major units of `currency` (TZS), at most two decimals' });
const currency = text('The account’s currency, ISO 4217 (TZS)');
const encoding = z
  .enum(['GSM-7', 'UCS-2'])
  .meta({ description: 'GSM-7 (160 characters a segment, 153 when split) or UCS-2 (70, 67 when split)' });
const replacement = z.strictObject({
  from: text('The character replaced'),
  to: text('What replaced it'),
  count: count('How many times'),
});
const replacements = z
  .array(replacement)
  .meta({ description: 'Look-alike characters smart encoding replaced to keep the text GSM-7' });
const nationalLanguage = z.string().nullable().meta({
  description:
    'The national language table (3GPP TS 23.038) its GSM-7 text uses, when every carrier on its route has it; null: the default alphabet',
});
const pagination = z
  .strictObject({
    page: count('This page, from 1'),
    per_page: count('Rows a page'),
    total: count('Rows over all pages'),
    total_pages: count('Pages in all'),
  })
  .meta({ description: 'Where this page is in the whole list' });
const createdAt = at('When it was created');
const validUntil = instant
  .nullable()
  .meta({ description: 'Never submitted after this (the send’s validity_period); null without one' });
const trafficClass = z
  .enum(TRAFFIC_CLASSES)
  .meta({ description: 'What it is for: transactional (default), promotional or otp' });
const suppressed = z
  .array(
    z.strictObject({
      phone: e164('The number left out'),
      reason: z.literal('opted_out').meta({ description: 'Why: the account has opted it out' }),
    }),
  )
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
const recipientError = z
  .strictObject({
    code: text(
      'A stable code: the carrier’s, or the gateway’s (OPTED_OUT, CANCELLED, CARRIER_UNAVAILABLE, …)',
    ),
    message: z
      .string()
      .nullable()
      .meta({ description: 'What the carrier or the gateway said; null: nothing' }),
  })
  .nullable()
  .meta({
    description:
      'Why it failed, or why it still waits (CARRIER_UNAVAILABLE while no carrier can take it); null: nothing went wrong',
  });
const messageId = text('The message’s id (a send’s `message_id`)');
const senderId = text('The sender ID recipients see');
const recipient = z.strictObject({
  phone: e164('The recipient’s number'),
  status: z.enum(PUBLIC_STATUSES).meta({
    description:
      '`scheduled` (waits for its time), `queued` (on its way to a carrier), `sent` (a carrier took it), then `delivered`, `failed` or `expired`',
  }),
  cost: money.meta({ description: 'What this recipient costs: its segments at its price' }),
  sent_at: atOrNull('When a carrier accepted it; null: not yet'),
  delivery_time: atOrNull('When the carrier reported it delivered; null: not delivered (yet)'),
  failed_at: atOrNull('When it failed; null: it has not'),
  expired_at: instant.nullable().meta({
    description: 'When it became `expired`: no final receipt in time, or not submitted within its validity',
  }),
  error: recipientError,
});

const segments = count('SMS segments the text takes; each recipient pays for each');
const scheduleTime = atOrNull('When it is due: its schedule_time (or deferral); null: at once');
const recipientCost = {
  phone: e164('The recipient’s number'),
  cost: money.meta({ description: 'What it costs: segments × the price of its destination' }),
};

export const sendData = z.strictObject({
  message_id: text('The new message’s id: follow it with GET /v1/sms/status/{message_id}/ or webhooks'),
  recipients: z
    .array(e164('A recipient'))
    .meta({ description: 'The numbers it goes to, each once (opted-out ones left out)' }),
  status: z.enum(['queued', 'scheduled']).meta({
    description: '`queued`: on its way to a carrier; `scheduled`: waits for its schedule_time',
  }),
  sender_id: senderId,
  cost: money.meta({ description: 'Charged now, for every recipient and segment' }),
  currency,
  segments,
  encoding,
  schedule_time: scheduleTime,
  ...deferral,
  valid_until: validUntil,
  recipient_costs: z.array(z.strictObject(recipientCost)).meta({ description: 'What each recipient costs' }),
  replacements,
  national_language: nationalLanguage,
  traffic_class: trafficClass,
  suppressed,
});

export const quoteData = z.strictObject({
  recipients: z
    .array(e164('A recipient'))
    .meta({ description: 'The numbers it would go to, each once (opted-out ones left out)' }),
  sender_id: senderId,
  encoding,
  units: count('Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text'),
  segments,
  parts: z.array(z.string()).meta({ description: 'The text of each segment, as recipients get it' }),
  non_gsm_characters: z
    .array(z.string())
    .meta({ description: 'Characters outside GSM-7 that make the text UCS-2; empty: GSM-7' }),
  replacements,
  national_language: nationalLanguage,
  recipient_costs: z
    .array(
      z.strictObject({
        phone: recipientCost.phone,
        operator: z
          .string()
          .nullable()
          .meta({ description: 'The operator that prices it (vodacom, airtel, …); null: not known' }),
        cost: recipientCost.cost,
      }),
    )
    .meta({ description: 'What each recipient would cost' }),
  cost: money.meta({ description: 'What sending it would cost in all' }),
  currency,
  balance: money.meta({ description: 'The account’s balance now' }),
  balance_sufficient: z.boolean().meta({ description: 'Whether the balance covers the cost' }),
  schedule_time: scheduleTime,
  ...deferral,
  traffic_class: trafficClass,
  suppressed,
});

const campaignId = z
  .string()
  .nullable()
  .meta({ description: 'The campaign it is part of; null for a plain send' });

const messageStatus = z.enum(MESSAGE_STATUSES).meta({
  description:
    'Derived from its recipients: the least advanced of scheduled, queued, sent while any is pending; then `delivered` or `expired` when all are, `failed` when none was delivered, else `partially_delivered`',
});
const messageText = text('The text as sent (a promotional one with its opt-out footer)');

export const statusData = z.strictObject({
  message_id: messageId,
  campaign_id: campaignId,
  traffic_class: trafficClass,
  status: messageStatus,
  delivery_time: atOrNull('When its last recipient was delivered, once every one is; null otherwise'),
  sender_id: senderId,
  message: messageText,
  encoding,
  segments,
  cost: money.meta({ description: 'What it cost for all its recipients' }),
  currency,
  created_at: at('When it was accepted'),
  schedule_time: scheduleTime,
  valid_until: validUntil,
  reply_to: z
    .string()
    .nullable()
    .meta({ description: 'The inbound message it answers (the send’s reply_to); null for any other' }),
  recipients: z.array(recipient).meta({ description: 'Each recipient and where it stands' }),
});

export const reportsData = z.strictObject({
  reports: z
    .array(
      recipient.extend({
        message_id: messageId,
        campaign_id: campaignId,
        sender_id: senderId,
        segments,
        currency,
        created_at: at('When the message was accepted'),
      }),
    )
    .meta({ description: 'One row per recipient, newest message first' }),
  pagination,
});

export const messagesData = z.strictObject({
  messages: z
    .array(
      z.strictObject({
        message_id: messageId,
        campaign_id: campaignId,
        traffic_class: trafficClass,
        status: messageStatus,
        sender_id: senderId,
        message: messageText,
        encoding,
        segments,
        recipients: count('How many recipients it has'),
        recipient_statuses: z
          .strictObject({
            scheduled: count('Waiting for their time'),
            queued: count('On their way to a carrier'),
            sent: count('Taken by a carrier, not yet final'),
            delivered: count('Delivered'),
            failed: count('Failed'),
            expired: count('Expired'),
          })
          .meta({ description: 'Recipients by their status' }),
        cost: money.meta({ description: 'What it cost for all its recipients' }),
        currency,
        created_at: at('When it was accepted'),
        schedule_time: scheduleTime,
      }),
    )
    .meta({ description: 'One row per message, newest first' }),
  pagination,
});

const CAMPAIGN_STATUSES = ['preparing', 'scheduled', 'sending', 'completed', 'cancelled'] as const;

const excluded = z
  .strictObject({
    inactive: count('Inactive contacts'),
    duplicates: count('Repeated numbers or contact ids'),
    opted_out: count('Numbers the account has opted out (not for otp)'),
  })
  .meta({
    description:
      'Left out at acceptance: inactive contacts, repeated numbers or contact ids, numbers the account opted out (not for otp)',
  });

const campaign = z.strictObject({
  id: text('The campaign’s id'),
  name: text('The campaign’s name'),
  message: z.string().meta({ description: 'The template' }),
  sender_id: senderId,
  audience: z
    .strictObject({
      type: z
        .enum(['segment', 'contacts', 'recipients'])
        .meta({ description: 'How it was given: segment_id, contact_ids or recipients' }),
      segment_id: z.string().nullable().meta({ description: 'The segment; null for another audience' }),
    })
    .meta({ description: 'Who it was sent to' }),
  schedule_time: scheduleTime,
  webhook_url: z
    .string()
    .nullable()
    .meta({ description: 'Where its status events go; null: the account’s webhook URL' }),
  status: z.enum(CAMPAIGN_STATUSES).meta({
    description:
      '`preparing` while its recipients are still being stored after acceptance (a large campaign: more than 1,000 recipients; they count as queued, and it is charged already); then `scheduled` until its schedule time (or, held by a pause without an end, until its first recipient goes), `sending` while any recipient awaits a final status, `completed`, or `cancelled`',
  }),
  recipients: z.number().int().meta({ description: 'Recipients it was accepted for' }),
  traffic_class: trafficClass,
  ...deferral,
  excluded,
  progress: z
    .strictObject({
      queued: count('Waiting or on their way to a carrier'),
      sent: count('Taken by a carrier, not yet final'),
      delivered: count('Delivered'),
      failed: count('Failed (cancelled ones not included)'),
      expired: count('Expired'),
      cancelled: count('Stopped by a cancel'),
    })
    .meta({
      description:
        'Recipients by status now (queued includes scheduled, and those still being stored while preparing)',
    }),
  pending: z.number().int().meta({ description: 'Queued or sent, awaiting a final status' }),
  cost: money.meta({ description: 'Charged at acceptance' }),
  refunded: money.meta({ description: 'Given back since: cancelled recipients, and those no carrier took' }),
  currency,
  created_at: at('When it was accepted'),
  cancelled_at: atOrNull('When it was first cancelled; null: never'),
});
export const campaignData = campaign;
export const campaignsData = z.strictObject({
  campaigns: z.array(campaign).meta({ description: 'The campaigns, newest first' }),
  pagination,
});
export const cancelData = campaign.extend({
  cancelled_now: z.number().int().meta({ description: 'Recipients this cancel stopped' }),
  refunded_now: money.meta({ description: 'What this cancel gave back' }),
  was: z.enum(CAMPAIGN_STATUSES).meta({ description: 'Its status before this cancel' }),
});
export const campaignQuoteData = z.strictObject({
  recipients: count('Recipients it would go to'),
  traffic_class: trafficClass,
  ...deferral,
  excluded,
  texts: z.number().int().meta({ description: 'Distinct personalised texts' }),
  segments: z.number().int().meta({ description: 'Segments over all recipients' }),
  cost: money.meta({ description: 'What sending it would cost in all' }),
  currency,
  balance: money.meta({ description: 'The account’s balance now' }),
  balance_sufficient: z.boolean().meta({ description: 'Whether the balance covers the cost' }),
  sample: z
    .array(
      z.strictObject({
        message: text('One personalised text'),
        recipients: count('Recipients who get this text'),
        segments: count('Segments this text takes'),
        encoding,
      }),
    )
    .meta({ description: 'Some of the distinct texts, as recipients would get them' }),
});

export const balanceData = z.strictObject({
  balance: money.meta({ description: 'What the account can spend now' }),
  currency,
  last_updated: at('When the balance last changed'),
});

const contact = z.strictObject({
  id: text('The contact’s id'),
  name: text('The full name'),
  phone_number: e164('The contact’s number, unique in the account'),
  email: z.string().nullable().meta({ description: 'An email address; null: none' }),
  tags: z.array(z.string()).meta({ description: 'Its tags, in the order given, each once' }),
  is_active: z.boolean().meta({ description: 'Inactive contacts are left out of campaigns' }),
  created_at: createdAt,
  updated_at: at('When it last changed'),
});
export const contactData = contact;
export const contactsData = z.strictObject({
  contacts: z.array(contact).meta({ description: 'The contacts, newest first' }),
  pagination,
});
export const importData = z.strictObject({
  received: z.number().int().meta({ description: 'Rows read' }),
  created: count('Contacts added'),
  updated: count('Contacts changed (on_conflict=update)'),
  skipped: z.number().int().meta({ description: 'Numbers already there, left alone (on_conflict=skip)' }),
  failed: z.number().int().meta({ description: 'Rows refused' }),
  errors: z
    .array(
      z.strictObject({
        row: z.number().int().meta({ description: 'The CSV line (the header is 1), or the array index + 1' }),
        field: z.string().nullable().meta({ description: 'The field refused; null: the row as a whole' }),
        reason: text('What is wrong with it'),
      }),
    )
    .meta({ description: 'Each row refused, and why' }),
});
const optOut = z.strictObject({
  phone_number: e164('The number opted out'),
  reason: z.string().nullable().meta({ description: 'Why, as given; null: none' }),
  source: z.enum(['keyword', 'api', 'import', 'carrier', 'dashboard']).meta({
    description:
      'api (this API), import, carrier (the carrier said the subscriber blocks the sender), keyword (the subscriber’s STOP by SMS to the account’s number: `inbound_id` names it), dashboard',
  }),
  inbound_id: z.string().nullable().meta({
    description: 'The inbound message (its id) that opted it out when source is keyword; else null',
  }),
  created_at: at('When it was opted out'),
});
export const optOutData = optOut;
export const optOutsData = z.strictObject({
  opt_outs: z.array(optOut).meta({ description: 'The opted-out numbers, newest first' }),
  pagination,
});
export const optInData = optOut.extend({ opted_in_at: at('When it was opted in again (now)') });
export const optOutImportData = importData.omit({ updated: true }).extend({
  created: z.number().int().meta({ description: 'Numbers opted out now' }),
  skipped: z.number().int().meta({ description: 'Numbers already opted out, left as they were' }),
});
export const optOutHistoryData = z.strictObject({
  phone_number: e164('The number'),
  events: z
    .array(
      z.strictObject({
        id: text('The entry’s id'),
        action: z.enum(['opted_out', 'opted_in']).meta({ description: 'What happened' }),
        source: optOut.shape.source,
        reason: z.string().nullable().meta({ description: 'Why, as given; null: none' }),
        evidence: z.string().nullable().meta({
          description: 'What showed the subscriber agreed again (an opt-in), or what the carrier said',
        }),
        api_key_id: z
          .string()
          .nullable()
          .meta({ description: 'The API key that asked for it; null: not through a key' }),
        inbound_id: z.string().nullable().meta({ description: 'The inbound message (STOP) it came from' }),
        created_at: at('When it happened'),
      }),
    )
    .meta({ description: 'Every opt-out and opt-in of the number, oldest first' }),
  pagination,
});

const truncatedFlag = (what: string) =>
  z.boolean().meta({ description: `Whether ${what} went past the 10,000 returned` });
export const privacySubjectData = z.strictObject({
  phone_number: e164('The number asked about'),
  contact: z
    .strictObject({
      id: text('The contact’s id'),
      name: text('Its name'),
      phone_number: e164('Its number'),
      email: z.string().nullable().meta({ description: 'Its email; null: none' }),
      is_active: z.boolean().meta({ description: 'Whether campaigns reach it' }),
      created_at: at('When it was added'),
      updated_at: at('When it last changed'),
    })
    .nullable()
    .meta({ description: 'The account’s contact with this number; null: none' }),
  messages: z
    .array(
      z.strictObject({
        message_id: text('The message'),
        recipient_id: text('This number’s delivery of it'),
        sender_id: text('The sender ID it went from'),
        message: z.string().meta({ description: 'Its text (`[redacted]` once retention removed it)' }),
        status: z.enum(PUBLIC_STATUSES).meta({ description: 'Where its delivery to this number stands' }),
        error_code: z.string().nullable().meta({ description: 'Why it failed or expired; null: it did not' }),
        cost: z.number().meta({ description: 'What it cost, in `currency`' }),
        currency: text('The currency of `cost`'),
        created_at: at('When it was accepted'),
        sent_at: atOrNull('When the carrier took it; null: not yet or never'),
        delivered_at: atOrNull('When it was delivered; null: not (yet)'),
        failed_at: atOrNull('When it failed; null: it did not'),
      }),
    )
    .meta({ description: 'Every message of the account to this number, oldest first' }),
  inbound: z
    .array(
      z.strictObject({
        inbound_id: text('The inbound message'),
        to: text('The account’s number or short code it was sent to'),
        text: z.string().meta({ description: 'Its text (`[redacted]` once retention removed it)' }),
        keyword: z.string().nullable().meta({ description: 'The keyword it matched; null: none' }),
        received_at: at('When it came'),
      }),
    )
    .meta({ description: 'Every message this number sent to the account, oldest first' }),
  opt_out_history: optOutHistoryData.shape.events,
  webhook_events: z
    .array(
      z.strictObject({
        id: text('The event (its X-Mifumo-Event-Id)'),
        event: text('Which: sent, delivered, failed, expired, received'),
        status: text('Its delivery to the account’s receiver: pending, in_progress, succeeded, failed'),
        message_id: z
          .string()
          .nullable()
          .meta({ description: 'The message it is about; null: an inbound one' }),
        created_at: at('When it was made'),
      }),
    )
    .meta({ description: 'The webhook events about these messages, oldest first' }),
  truncated: z
    .strictObject({
      messages: truncatedFlag('the messages'),
      inbound: truncatedFlag('the inbound messages'),
      opt_out_history: truncatedFlag('the opt-out history'),
      webhook_events: truncatedFlag('the webhook events'),
    })
    .meta({ description: 'Which lists stopped at 10,000 entries' }),
});

const senderIdEntry = z.strictObject({
  sender_id: text('The sender ID recipients see'),
  use: z.enum(SENDER_ID_USES).nullable().meta({
    description: 'What the account asked for it for; null: added by the gateway’s operator, or gateway-wide',
  }),
  note: z.string().nullable().meta({ description: 'The account’s note to the operator; null: none' }),
  requested_at: atOrNull('When the account asked for it (or the operator added it); null: gateway-wide'),
  status: z.enum(['approved', 'partial', 'pending', 'rejected']).meta({
    description:
      'Over every operator the gateway knows: `approved` by all (it goes to any number), `partial` (approved by some: only their numbers), `pending` (approved by none yet), `rejected` (by all)',
  }),
  gateway_wide: z.boolean().meta({
    description: 'Configured for every account (`senderIds`): approved for every operator',
  }),
  operators: z
    .array(
      z.strictObject({
        operator: text('The operator (vodacom, airtel, yas, halotel, ttcl, …)'),
        status: z.enum(APPROVAL_STATUSES).meta({
          description: '`pending` until the operator decides, then `approved` or `rejected`',
        }),
        reason: z.string().nullable().meta({ description: 'Why it was rejected; null otherwise' }),
        decided_at: atOrNull('When it was approved or rejected; null: pending, or gateway-wide'),
      }),
    )
    .meta({
      description:
        'Each operator’s decision, by name; a send to a number of an operator that has not approved it is refused with INVALID_SENDER_ID',
    }),
});
export const senderIdData = senderIdEntry;
export const senderIdsData = z.strictObject({
  sender_ids: z.array(senderIdEntry).meta({
    description: 'The account’s own sender IDs by name, then the gateway-wide ones',
  }),
  pagination,
});

export const searchData = z.strictObject({
  contacts: z.array(contact).meta({ description: 'The contacts found, newest first' }),
  total: count('Contacts found in all'),
  limit: count('The most answered at once (the query’s limit)'),
  offset: count('Contacts skipped first (the query’s offset)'),
});

const segment = z.strictObject({
  id: text('The segment’s id'),
  name: text('The segment’s name'),
  description: z.string().nullable().meta({ description: 'What it is for; null: none' }),
  criteria: segmentCriteria.meta({ description: 'Which contacts belong: all the criteria given hold' }),
  contact_count: count('Contacts it matches now'),
  created_at: createdAt,
});
export const segmentData = segment;
export const segmentsData = z.strictObject({
  segments: z.array(segment).meta({ description: 'The segments, newest first' }),
  pagination,
});

const apiKey = z.strictObject({
  id: text('The key’s id (not the key itself)'),
  account_id: text('The account it acts for'),
  name: text('What the key is for'),
  prefix: z.string().meta({ description: 'The first characters of the key, to tell keys apart' }),
  permissions: z
    .array(z.enum(PERMISSIONS))
    .meta({ description: 'What it may do: `read`, `write` (implies read), `admin` (implies both)' }),
  created_at: createdAt,
  last_used_at: atOrNull('When it last authenticated a request; null: never'),
  revoked_at: atOrNull('When it was revoked; null: it was not'),
  expires_at: instant.nullable().meta({ description: 'Refused from then on; null: never expires' }),
});
export const keyData = apiKey;
export const newKeyData = apiKey.extend({
  key: z.string().meta({ description: 'The key itself, shown this once' }),
});
export const keysData = z.strictObject({
  keys: z.array(apiKey).meta({ description: 'The account’s keys, newest first' }),
  pagination,
});
export const rotatedKeyData = apiKey.extend({
  key: z.string().meta({ description: 'The new key itself, shown this once' }),
  replaced: apiKey.meta({ description: 'The old key: revoked, or expiring at the end of the grace period' }),
});

export const webhookSettingsData = z.strictObject({
  url: z.string().nullable().meta({ description: 'The account’s default webhook URL; null: none' }),
  bearer_auth: z
    .boolean()
    .meta({ description: 'Whether status events carry `Authorization: Bearer <the sending key>`' }),
  signing_secret: text('The HMAC-SHA256 key of X-Mifumo-Signature (`whsec_…`)'),
  previous_secret_valid_until: atOrNull(
    'Until when the secret it replaced still signs too; null: no previous secret',
  ),
});
const delivery = z.strictObject({
  id: text('The event id, as X-Mifumo-Event-Id'),
  message_id: text('The message it is about (for `received`: the inbound id)'),
  recipient_id: text('The recipient it is about (for `received`: the inbound id)'),
  event: z.enum(['sent', 'delivered', 'failed', 'expired', 'received']).meta({
    description: '`received`: a `message.received` event; message_id and recipient_id are its inbound id',
  }),
  url: z
    .string()
    .nullable()
    .meta({ description: 'Where it is POSTed; null: no URL was set when it was due' }),
  status: z.enum(['pending', 'in_progress', 'succeeded', 'failed']).meta({
    description:
      '`pending` (due, or waiting to be retried), `in_progress` (being POSTed), `succeeded` (a 2xx), `failed` (given up)',
  }),
  attempts: count('POSTs made so far'),
  last_http_status: z
    .number()
    .int()
    .nullable()
    .meta({ description: 'The status of the last attempt; null: no answer (or not tried yet)' }),
  last_error: z.string().nullable().meta({ description: 'What went wrong last; null: nothing' }),
  next_attempt_at: atOrNull('When it is tried next; null: no further attempt'),
  retry_until: at('Retried until then (24 hours from its first try)'),
  delivered_at: atOrNull('When the receiver answered 2xx; null: not yet'),
  created_at: createdAt,
});
export const deliveryData = delivery;
export const deliveriesData = z.strictObject({
  deliveries: z.array(delivery).meta({ description: 'The webhook events, newest first' }),
  pagination,
});

export const carriersData = z.strictObject({
  carriers: z
    .array(
      z.strictObject({
        id: text('The carrier’s `id` in the configuration'),
        type: z.string().meta({ description: 'smpp, beem, africastalking, http, fake, …' }),
        state: z.enum(['bound', 'connecting', 'down', 'ready', 'breaker_open']).meta({
          description:
            '`bound` (an SMPP session is up), `connecting`, `down` (nothing is sent to it), `ready` (an HTTP carrier), `breaker_open` (skipped after repeated failures)',
        }),
        last_error: z
          .strictObject({ message: text('What went wrong'), at: at('When') })
          .nullable()
          .meta({ description: 'What last went wrong with a submit or the link, and when' }),
        in_flight: z.number().int().meta({ description: 'Submits sent and not answered yet' }),
        submits_last_minute: count('Submits in the last minute'),
      }),
    )
    .meta({ description: 'Each configured carrier, as the answering process sees it' }),
});

export const operatorCommandData = z.strictObject({
  result: z
    .union([z.looseObject({}), z.array(z.unknown())])
    .describe(
      'What the command returns: what `mifumo … --json` prints (an account, a list of keys, a pause…)',
    ),
  lines: z.array(z.string()).describe('The lines `mifumo …` prints for people'),
});

export const callbackData = z.strictObject({
  reports: z
    .strictObject({
      applied: count('Reports applied to their recipient'),
      held: count('Reports for ids not stored yet, applied once they are'),
      duplicate: count('Reports for recipients that already had a final status'),
      dropped: z
        .number()
        .int()
        .describe(
          'Reports for ids not stored yet that found the carrier’s hold full (dispatch.maxHeldReports)',
        ),
      unknown: count('Reports for no known carrier'),
    })
    .meta({ description: 'What became of the delivery reports in the callback' }),
  inbound: z
    .strictObject({
      stored: count('Messages stored (and passed on to their account)'),
      duplicate: count('Messages already stored before, ignored'),
    })
    .meta({ description: 'What became of the inbound messages in the callback' }),
});

export const activityData = z.strictObject({
  activity: z
    .array(
      z.strictObject({
        id: text('The entry’s id'),
        action: z.string().meta({
          description:
            'key.created, key.revoked, key.rotated, account.settings_changed, sender_id.added, sender_id.requested, sender_id.approved, sender_id.rejected, number.added, number.removed, webhook.updated, webhook.secret_rotated, webhook.resent, contacts.imported, dashboard.signed_in, dashboard.signed_out; from the ledger: sms.sent, sms.refunded, balance.topup, account.opened',
        }),
        actor: z
          .string()
          .nullable()
          .meta({ description: '`key:<id>`, `cli` or `in-process`; null when not known' }),
        subject: z
          .string()
          .nullable()
          .meta({ description: 'What it is about (a key, message or delivery id, …); null: the account' }),
        details: z
          .record(z.string(), z.unknown())
          .nullable()
          .meta({ description: 'What changed, by action (amounts, fields, counts); null: nothing more' }),
        created_at: at('When it happened'),
      }),
    )
    .meta({ description: 'The entries, newest first' }),
  pagination,
});

/** One bucket of the usage report: a day, an operator, or the whole range. */
const usageFigures = {
  messages: count('Messages accepted (a send, or one message of a campaign), whatever their recipients'),
  recipients: count('Recipients of those messages'),
  segments: count('Segments charged: each recipient’s segments'),
  delivered: count('Recipients delivered (so far)'),
  failed: count('Recipients failed or expired (so far)'),
  spend: money.meta({
    description:
      'What the recipients cost less what was refunded for them (so far), in major units of `currency`',
  }),
  spend_minor: count('The same spend in minor units (1/100), as the ledger keeps money'),
};

export const usageData = z.strictObject({
  from: text('The first day (YYYY-MM-DD)'),
  to: text('The last day, included'),
  time_zone: text('The IANA time zone whose calendar days these are (its canonical name)'),
  currency,
  days: z
    .array(z.strictObject({ date: text('The day, YYYY-MM-DD, in `time_zone`'), ...usageFigures }))
    .meta({ description: 'Every day of the range, oldest first; a day with nothing sent has zeros' }),
  operators: z
    .array(
      z.strictObject({
        operator: z.string().nullable().meta({
          description:
            'The operator (vodacom, airtel, …) its numbers belong to; null: numbers the operator table does not know',
        }),
        ...usageFigures,
        messages: count(
          'Messages with a recipient on this operator: a message to two operators counts for each, so these may add up to more than the total',
        ),
      }),
    )
    .meta({ description: 'Each operator sent to in the range, most recipients first' }),
  totals: z.strictObject(usageFigures).meta({ description: 'The whole range' }),
});

const keyword = z.string().nullable().meta({
  description: 'The number’s keyword it matched (upper case, no accents); null when the number has none',
});

export const inboundData = z.strictObject({
  id: text('The inbound message’s id (a send’s reply_to answers it)'),
  from: z.string().meta({ description: 'The subscriber: E.164 where the carrier gives a number' }),
  to: z.string().meta({ description: 'The account’s number it came in on: a short code’s digits, or E.164' }),
  text: text('What the subscriber wrote'),
  keyword,
  received_at: at('When the gateway received it'),
  carrier_id: text('The carrier it came through'),
  in_reply_to: z.string().nullable().meta({
    description: 'The account’s latest message to `from` within 7 days before it was received; null: none',
  }),
});
export const inboundListData = z.strictObject({
  messages: z.array(inboundData).meta({ description: 'The inbound messages, newest first' }),
  pagination,
});

export const numbersData = z.strictObject({
  numbers: z
    .array(
      z.strictObject({
        id: text('The number’s id'),
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
        created_at: at('When it was assigned'),
      }),
    )
    .meta({ description: 'The account’s numbers' }),
});

const webhookStatus = z
  .enum(['sent', 'delivered', 'failed', 'expired'])
  .meta({ description: 'The recipient’s new status' });

/** The body of a status webhook: one recipient's change. */
export const statusPayload = z.strictObject({
  message_id: messageId,
  status: webhookStatus,
  recipients: z
    .array(
      z.strictObject({
        phone: e164('The recipient’s number'),
        status: webhookStatus,
        delivery_time: at('When the change happened'),
      }),
    )
    .meta({ description: 'The recipient that changed (one per event)' }),
  metadata: z
    .strictObject({
      sender_id: senderId,
      cost: money.meta({ description: 'What the message cost' }),
      currency,
    })
    .meta({ description: 'About the message' }),
});

/** The body of a `message.received` webhook: a message a subscriber sent to one of the account's numbers. */
export const receivedPayload = z.strictObject({
  event: z.literal('message.received').meta({ description: 'The kind of event' }),
  inbound_id: z.string().meta({ description: 'Its id in GET /v1/sms/inbound/{inbound_id}/ (and reply_to)' }),
  from: inboundData.shape.from,
  to: inboundData.shape.to,
  text: inboundData.shape.text,
  keyword,
  received_at: inboundData.shape.received_at,
  in_reply_to: inboundData.shape.in_reply_to,
});
