import { z } from 'zod';
import { PERMISSIONS } from '../auth/api-key';
import { MESSAGE_STATUSES, PUBLIC_STATUSES } from '../domain/message-status';
import { TRAFFIC_CLASSES } from '../domain/traffic-class';
import { segmentCriteria } from '../services/segment-criteria';
import { MAX_VALIDITY_SECONDS, MIN_VALIDITY_SECONDS } from '../services/send/draft';
import { MAX_GRACE_SECONDS } from '../webhooks/settings';

/** Optional string fields accept null as "not given". */
const optionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);

/** Bodies are strict: an unknown field is refused by name, never silently dropped. */
export const sendSchema = z.strictObject({
  message: z.string().min(1, 'message must not be empty'),
  recipients: z
    .array(z.string())
    .min(1, 'at least one recipient')
    .optional()
    .describe('Required unless reply_to is given; with it, only the number replied to (the default)'),
  reply_to: z
    .string()
    .min(1)
    .max(100)
    .nullish()
    .transform((v) => v ?? undefined)
    .describe(
      'The id of an inbound message of this account to answer: sent to its `from`, from the number it came in on (unless sender_id is given), through the carrier it came in on when that carrier is on a route for it',
    ),
  sender_id: optionalText,
  schedule_time: optionalText,
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
  smart_encoding: z.boolean().optional(),
  webhook_url: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL' })
    .nullish()
    .transform((v) => v ?? undefined),
  traffic_class: z
    .enum(TRAFFIC_CLASSES)
    .optional()
    .describe(
      'What the message is for (default `transactional`). `transactional` and `promotional` messages leave out numbers the account has opted out (listed in `suppressed`, not charged); `otp` (one-time codes) is sent to every number.',
    ),
});

/** A campaign: a template, exactly one audience, and how to send it (as a send). */
export const campaignSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'name must not be empty').max(100),
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
      .array(z.string())
      .min(1)
      .optional()
      .describe('Send to these numbers (placeholders need defaults)'),
    sender_id: optionalText,
    schedule_time: optionalText,
    smart_encoding: z.boolean().optional(),
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
  z.strictObject({ page: z.coerce.number().int().min(1).default(1), per_page: page(max, fallback) });

export const reportsQuery = pageQuery(500, 50).extend({
  start_date: z.string().optional(),
  end_date: z.string().optional(),
  status: z.enum(PUBLIC_STATUSES).optional(),
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
  start_date: z.string().optional().describe('Received on or after: a date or date-time with an offset'),
  end_date: z.string().optional().describe('Received up to: a date (the whole day) or date-time'),
});

export const messagesQuery = pageQuery(100, 50).extend({
  status: z.enum(MESSAGE_STATUSES).optional().describe('The message’s status, derived from its recipients'),
  start_date: z.string().optional().describe('Created on or after: a date or date-time with an offset'),
  end_date: z.string().optional().describe('Created up to: a date (the whole day) or date-time'),
  sender_id: z.string().min(1).max(20).optional(),
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
  is_active: flag.optional().describe('true or false'),
  created_after: z
    .string()
    .max(40)
    .optional()
    .describe('Created on or after: a date or date-time with an offset'),
  created_before: z
    .string()
    .max(40)
    .optional()
    .describe('Created before: a date or date-time with an offset'),
});

export const searchQuery = z.strictObject({
  q: z.string().max(200).optional(),
  limit: page(100, 20),
  offset: z.coerce.number().int().min(0).default(0),
  segment_id: z.string().min(1).optional(),
});

export const segmentSchema = z.strictObject({
  name: z.string().trim().min(1, 'name must not be empty').max(100),
  description: z.string().max(500).nullish(),
  criteria: segmentCriteria.optional(),
});

/** A partial segment: the fields given change. */
export const segmentChangeSchema = segmentSchema
  .partial()
  .refine((c) => Object.keys(c).length > 0, 'give at least one field to change');

export const membersQuery = pageQuery(100, 50);

export const keySchema = z.strictObject({
  name: z.string().trim().min(1, 'name must not be empty').max(100),
  permissions: z.array(z.enum(PERMISSIONS)).min(1, 'at least one permission'),
  expires_at: z
    .string()
    .max(40)
    .nullish()
    .describe('When the key stops working: an ISO 8601 date-time with a UTC offset, in the future'),
});

export const rotateKeySchema = z.strictObject({
  /** How long the old key keeps working, in seconds (0: revoked at once; at most a week). */
  grace_period_seconds: z.number().int().min(0).max(MAX_GRACE_SECONDS).default(0),
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
  /** The account's default target; null removes it. */
  url: z.string().max(2048).nullable(),
  bearer_auth: z.boolean().optional(),
});

export const rotateSecretSchema = z.strictObject({
  /** How long the replaced secret keeps signing too, in seconds (0 to a week). */
  grace_period_seconds: z.number().int().min(0).max(MAX_GRACE_SECONDS).default(86_400),
});

export const activityQuery = pageQuery(100, 50).extend({
  action: z.string().min(1).max(50).optional(),
});

export { optInSchema, optOutSchema } from '../services/consent';

export const optOutsQuery = pageQuery(100, 50).extend({
  phone_number: z.string().min(1).max(50).optional().describe('The opt-out of this number, if any'),
});

export const optOutHistoryQuery = pageQuery(100, 50);

export const deliveriesQuery = pageQuery(100, 50).extend({
  status: z.enum(['pending', 'in_progress', 'succeeded', 'failed']).optional(),
  message_id: z.string().min(1).max(100).optional(),
});
