import { z } from 'zod';
import { PERMISSIONS } from '../auth/api-key';
import { MESSAGE_STATUSES, PUBLIC_STATUSES } from '../domain/message-status';
import { DEFAULT_REPORT_TIME_ZONE, MAX_REPORT_DAYS } from '../domain/report-range';
import { SENDER_ID_USES } from '../domain/sender-approval';
import { isWellFormedSenderId } from '../domain/sender-id';
import { TRAFFIC_CLASSES } from '../domain/traffic-class';
import { segmentCriteria } from '../services/segment-criteria';
import { MAX_VALIDITY_SECONDS, MIN_VALIDITY_SECONDS } from '../services/send/draft';
import { MAX_GRACE_SECONDS } from '../webhooks/settings';

/**
 * An optional string field that accepts null as "not given", described by `meta` (on the value a request
 * gives: a transform's JSON Schema keeps no default or examples of its own).
 */
const optionalText = (meta: { description: string; default?: string; examples?: string[] }) =>
  z
    .string()
    .nullish()
    .meta(meta)
    .transform((v) => v ?? undefined);

/** A phone number as requests take it: E.164, or national in the default region. */
const PHONE_EXAMPLES = ['+255754000111', '0754000111'];
/** A date or date-time as filters take it. */
const DATE_EXAMPLES = ['2026-03-01', '2026-03-01T08:00:00+03:00'];

/** Bodies are strict: an unknown field is refused by name, never silently dropped. */
export const sendSchema = z.strictObject({
  message: z
    .string()
    .min(1, 'message must not be empty')
    .describe(
      'The text; GSM-7 unless it has other characters (then UCS-2), split into segments as needed and charged per segment',
    ),
  recipients: z
    .array(z.string().meta({ examples: PHONE_EXAMPLES }))
    .min(1, 'at least one recipient')
    .optional()
    .describe(
      'The numbers to send to, E.164 or national in the default region; required unless reply_to is given (then only the number replied to, its default)',
    ),
  reply_to: z
    .string()
    .min(1)
    .max(100)
    .nullish()
    .transform((v) => v ?? undefined)
    .describe(
      'The id of an inbound message of this account to answer: sent to its `from`, from the number it came in on (unless sender_id is given), through the carrier it came in on when that carrier is on a route for it',
    ),
  sender_id: optionalText({
    default: 'MIFUMO',
    description:
      'The sender ID recipients see: one approved for the account (a reply’s default: the number it came in on)',
  }),
  schedule_time: optionalText({
    examples: ['2026-03-01T10:00:00Z'],
    description:
      'When to send: an ISO 8601 date-time with a UTC offset, at most `messages.maxScheduleDays` (365) days ahead; now when absent or past',
  }),
  validity_period: z
    .number()
    .int('whole seconds')
    .min(MIN_VALIDITY_SECONDS)
    .max(MAX_VALIDITY_SECONDS)
    .nullish()
    .transform((v) => v ?? undefined)
    .describe(
      'Seconds, from when it is due (now, or schedule_time), within which it must reach a carrier: never submitted after (the recipient becomes `expired` and is refunded); passed on to carriers that take one (SMPP validity_period). For one-time codes.',
    ),
  smart_encoding: z
    .boolean()
    .optional()
    .describe(
      'Replace look-alike characters (curly quotes, dashes, …) that alone would force UCS-2 with GSM-7 ones; default: the account’s setting, else `messages.smartEncoding`',
    ),
  webhook_url: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL' })
    .nullish()
    .transform((v) => v ?? undefined)
    .describe('Where this message’s status events are POSTed, instead of the account’s webhook URL'),
  traffic_class: z.enum(TRAFFIC_CLASSES).optional().meta({
    default: 'transactional',
    description:
      'What the message is for. `transactional` and `promotional` messages leave out numbers the account has opted out (listed in `suppressed`, not charged); `otp` (one-time codes) is sent to every number.',
  }),
});

/** A campaign: a template, exactly one audience, and how to send it (as a send). */
export const campaignSchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1, 'name must not be empty')
      .max(100)
      .describe('The campaign’s name, as lists show it'),
    message: z
      .string()
      .min(1, 'message must not be empty')
      .describe(
        'The text, with {name}, {first_name}, {last_name}, {phone_number}, {email}; {field|default} when a contact has none',
      ),
    segment_id: z.string().min(1).optional().describe('Send to the segment’s active members'),
    contact_ids: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Send to these contacts (inactive ones left out)'),
    recipients: z
      .array(z.string().meta({ examples: PHONE_EXAMPLES }))
      .min(1)
      .optional()
      .describe('Send to these numbers, E.164 or national (placeholders need defaults)'),
    sender_id: sendSchema.shape.sender_id,
    schedule_time: sendSchema.shape.schedule_time,
    smart_encoding: sendSchema.shape.smart_encoding,
    webhook_url: sendSchema.shape.webhook_url,
    traffic_class: sendSchema.shape.traffic_class,
  })
  .refine((c) => [c.segment_id, c.contact_ids, c.recipients].filter((a) => a !== undefined).length === 1, {
    message: 'give exactly one audience: segment_id, contact_ids or recipients',
    path: ['audience'],
  });

const page = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** A page of a list: `page` from 1, `per_page` up to `max`. */
const pageQuery = (max: number, fallback: number) =>
  z.strictObject({
    page: z.coerce.number().int().min(1).default(1).describe('Which page, from 1'),
    per_page: page(max, fallback).describe('Rows a page'),
  });

export const reportsQuery = pageQuery(500, 50).extend({
  start_date: z
    .string()
    .optional()
    .meta({ examples: DATE_EXAMPLES })
    .describe('Sent on or after: a date (`YYYY-MM-DD`) or ISO 8601 date-time'),
  end_date: z
    .string()
    .optional()
    .meta({ examples: DATE_EXAMPLES })
    .describe('Sent up to: a date (the whole day) or ISO 8601 date-time'),
  status: z.enum(PUBLIC_STATUSES).optional().describe('Only recipients in this status'),
});

export const inboundQuery = pageQuery(500, 50).extend({
  from: z.string().min(1).max(32).optional().describe('From this number (read as numbers are kept)'),
  to: z
    .string()
    .min(1)
    .max(32)
    .optional()
    .describe('Sent to this number or short code (read as numbers are kept)'),
  keyword: z.string().min(1).max(50).optional().describe('Matched this keyword (any case, accents ignored)'),
  start_date: z
    .string()
    .optional()
    .meta({ examples: DATE_EXAMPLES })
    .describe('Received on or after: a date or date-time with an offset'),
  end_date: z
    .string()
    .optional()
    .meta({ examples: DATE_EXAMPLES })
    .describe('Received up to: a date (the whole day) or date-time'),
});

export const messagesQuery = pageQuery(100, 50).extend({
  status: z.enum(MESSAGE_STATUSES).optional().describe('The message’s status, derived from its recipients'),
  start_date: z
    .string()
    .optional()
    .meta({ examples: DATE_EXAMPLES })
    .describe('Created on or after: a date or date-time with an offset'),
  end_date: z
    .string()
    .optional()
    .meta({ examples: DATE_EXAMPLES })
    .describe('Created up to: a date (the whole day) or date-time'),
  sender_id: z.string().min(1).max(20).optional().describe('Sent with this sender ID'),
  campaign_id: z.string().min(1).max(100).optional().describe('Messages of this campaign'),
});

export const segmentsQuery = pageQuery(100, 20);
/** At most 50 a page: their progress binds each id (D1 binds at most 100 parameters a statement). */
export const campaignsQuery = pageQuery(50, 20);
export const keysQuery = pageQuery(100, 50);

export { contactChangeSchema, contactSchema } from '../services/contacts';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const importQuery = z.strictObject({
  on_conflict: z
    .enum(['skip', 'update'])
    .default('skip')
    .describe('A number already there: skip the row or update the contact'),
});

export const contactsQuery = pageQuery(100, 50).extend({
  tag: z.string().trim().min(1).max(50).optional().describe('Contacts with this tag (any case)'),
  is_active: flag.optional().describe('Only active (`true`) or inactive (`false`) contacts'),
  created_after: z
    .string()
    .max(40)
    .optional()
    .meta({ examples: DATE_EXAMPLES })
    .describe('Created on or after: a date or date-time with an offset'),
  created_before: z
    .string()
    .max(40)
    .optional()
    .meta({ examples: DATE_EXAMPLES })
    .describe('Created before: a date or date-time with an offset'),
});

export const searchQuery = z.strictObject({
  q: z
    .string()
    .max(200)
    .optional()
    .describe(
      'Words found in the name, phone number or email (any case or accent); all contacts when absent',
    ),
  limit: page(100, 20).describe('Contacts to answer at most'),
  offset: z.coerce.number().int().min(0).default(0).describe('Contacts to skip first'),
  segment_id: z.string().min(1).optional().describe('Only the members of this segment'),
});

export const segmentSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'name must not be empty')
    .max(100)
    .describe('The segment’s name, as lists show it'),
  description: z.string().max(500).nullish().describe('What the segment is for; null for none'),
  criteria: segmentCriteria
    .optional()
    .describe('Which contacts belong: all the criteria given must hold (none: every contact)'),
});

/** A partial segment: the fields given change. */
export const segmentChangeSchema = segmentSchema
  .partial()
  .refine((c) => Object.keys(c).length > 0, 'give at least one field to change');

export const membersQuery = pageQuery(100, 50);

export const keySchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'name must not be empty')
    .max(100)
    .describe('What the key is for, to tell keys apart'),
  permissions: z
    .array(z.enum(PERMISSIONS))
    .min(1, 'at least one permission')
    .describe(
      '`read`: balance, status, reports, lists; `write`: also sends, contacts, campaigns, opt-outs; `admin`: also keys, webhooks, activity, carriers',
    ),
  expires_at: z
    .string()
    .max(40)
    .nullish()
    .describe('When the key stops working: an ISO 8601 date-time with a UTC offset, in the future'),
});

export const rotateKeySchema = z.strictObject({
  grace_period_seconds: z
    .number()
    .int()
    .min(0)
    .max(MAX_GRACE_SECONDS)
    .default(0)
    .describe('How long the old key keeps working, in seconds: 0 revokes it at once; at most a week'),
  expires_at: z
    .string()
    .max(40)
    .nullable()
    .optional()
    .describe(
      'When the new key stops working: an ISO 8601 date-time with a UTC offset, in the future; null: never. Without it the new key keeps the old key’s lifetime: it expires as long after its creation as the old key’s expiry was after the old key’s creation, and never when the old key had no expiry.',
    ),
});

export const webhookSettingsSchema = z.strictObject({
  url: z
    .string()
    .max(2048)
    .nullable()
    .describe(
      'The account’s default webhook URL (http or https, no credentials, not an internal address); null removes it',
    ),
  bearer_auth: z
    .boolean()
    .optional()
    .describe('Send `Authorization: Bearer <the sending key>` with status events; unchanged when absent'),
});

export const rotateSecretSchema = z.strictObject({
  grace_period_seconds: z
    .number()
    .int()
    .min(0)
    .max(MAX_GRACE_SECONDS)
    .default(86_400)
    .describe('How long the replaced secret keeps signing too, in seconds (0 to a week)'),
});

export const activityQuery = pageQuery(100, 50).extend({
  action: z.string().min(1).max(50).optional().describe('Only entries of this action (`key.created`, …)'),
});

export { optInSchema, optOutSchema } from '../services/consent';

export const optOutsQuery = pageQuery(100, 50).extend({
  phone_number: z
    .string()
    .min(1)
    .max(50)
    .optional()
    .meta({ examples: PHONE_EXAMPLES })
    .describe('The opt-out of this number (E.164 or national), if any'),
});

export const optOutHistoryQuery = pageQuery(100, 50);

/** Longest note a sender ID request keeps, in characters. */
export const MAX_SENDER_ID_NOTE = 500;

export const senderIdRequestSchema = z.strictObject({
  sender_id: z
    .string()
    .refine(
      isWellFormedSenderId,
      'must be 1-11 letters, digits, spaces or . & _ - (with a letter), or up to 15 digits',
    )
    .meta({ examples: ['DUKA'] })
    .describe(
      'The sender ID recipients would see: 1-11 letters and digits (with a letter), or up to 15 digits',
    ),
  use: z
    .enum(SENDER_ID_USES)
    .describe('What it is for, as the operators register it: `transactional` or `promotional` messages'),
  note: z
    .string()
    .trim()
    .max(MAX_SENDER_ID_NOTE)
    .nullish()
    .transform((v) => (v ? v : undefined))
    .describe(
      'Anything the gateway’s operator should know (the business, a registration number); null or empty for none',
    ),
});

export const senderIdsQuery = pageQuery(100, 50);

export const deliveriesQuery = pageQuery(100, 50).extend({
  status: z
    .enum(['pending', 'in_progress', 'succeeded', 'failed'])
    .optional()
    .describe('Only deliveries in this state'),
  message_id: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('Only the events of this message (or inbound message)'),
});

const reportDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' }).meta({ examples: ['2026-03-01'] });

/** A range of calendar days in a time zone: what usage reports and exports cover. */
export const reportQuery = z.strictObject({
  from: reportDate.describe('The first day, from its first instant in `time_zone`'),
  to: reportDate.describe(
    `The last day, included (to the first instant of the day after); at most ${MAX_REPORT_DAYS} days from \`from\` (both included)`,
  ),
  time_zone: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .meta({
      default: DEFAULT_REPORT_TIME_ZONE,
      examples: ['Africa/Nairobi', 'UTC'],
      description: 'The IANA time zone whose calendar days are counted, and in which times are written',
    }),
});
