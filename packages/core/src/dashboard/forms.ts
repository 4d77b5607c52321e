import { z } from 'zod';
import { campaignSchema, segmentSchema, senderIdRequestSchema } from '../api/schemas';
import { PERMISSIONS } from '../auth/api-key';
import { LANGUAGES } from '../domain/language';
import { PUBLIC_STATUSES } from '../domain/message-status';
import { unsafeFields } from '../domain/safe-text';
import { TRAFFIC_CLASSES } from '../domain/traffic-class';
import { GatewayError } from '../errors';
import { optInSchema, optOutSchema } from '../services/consent';
import { contactSchema } from '../services/contacts';
import { MAX_GRACE_SECONDS } from '../webhooks/settings';
import { issueFields } from '../zod-issues';
import { en } from './i18n/en';

/** An empty form field or query parameter is no value. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
/** A text field whose empty value is null (the default). */
const blankIsNull = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v));
const pageNumber = optional(z.coerce.number().int().min(1).max(100_000)).transform((p) => p ?? 1);
const list = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()));

/**
 * The dashboard's forms and listing queries: strict, like the API (an unknown field is named and
 * refused). Their own reasons are the catalogue's `refusal.*` texts, shown in the page's language.
 */
export const forms = {
  signIn: z.strictObject({ api_key: z.string().trim().min(1, en['refusal.enterKey']).max(500) }),
  createKey: z.strictObject({
    name: z.string().trim().min(1, en['refusal.nameEmpty']).max(100),
    permissions: list.pipe(z.array(z.enum(PERMISSIONS)).min(1, en['refusal.tickPermission'])),
  }),
  webhook: z.strictObject({
    url: blankIsNull(2048),
    bearer_auth: optional(z.literal('on')).transform((v) => v === 'on'),
  }),
  rotate: z.strictObject({
    grace_hours: z.coerce
      .number()
      .int()
      .min(0)
      .max(MAX_GRACE_SECONDS / 3600),
  }),
  contact: z.strictObject({
    name: z.string(),
    phone_number: z.string(),
    email: optional(z.string()),
    tags: optional(z.string()).transform((t) =>
      t === undefined
        ? undefined
        : t
            .split(';')
            .map((x) => x.trim())
            .filter(Boolean),
    ),
  }),
  /** The contact form's values, checked as the API checks a contact. */
  newContact: contactSchema,
  import: z.strictObject({
    file: z.instanceof(File, { message: en['refusal.chooseCsv'] }),
    on_conflict: z.enum(['skip', 'update']),
  }),
  empty: z.strictObject({}),
  /** A reply's text (checked as the API checks a send's). */
  reply: z.strictObject({ message: z.string().max(10_000) }),
  optOut: optOutSchema,
  optIn: optInSchema,
  optOuts: z.strictObject({ phone_number: optional(z.string().max(50)), page: pageNumber }),
  messages: z.strictObject({
    phone: optional(z.string().max(32)),
    status: optional(z.enum(PUBLIC_STATUSES)),
    start_date: optional(z.string().max(40)),
    end_date: optional(z.string().max(40)),
    page: pageNumber,
  }),
  contacts: z.strictObject({ q: optional(z.string().max(200)), page: pageNumber }),
  deliveries: z.strictObject({
    status: optional(z.enum(['pending', 'in_progress', 'succeeded', 'failed'])),
    page: pageNumber,
  }),
  activity: z.strictObject({ action: optional(z.string().max(50)), page: pageNumber }),
  paged: z.strictObject({ page: pageNumber }),
  /** The settings page; empty fields go back to the defaults (checked by the services that keep them). */
  settings: z.strictObject({
    language: blankIsNull(20),
    time_zone: blankIsNull(100),
    url: blankIsNull(2048),
    opt_out_footer: blankIsNull(500),
    quiet_hours: z.enum(['default', 'none', 'own']),
    'quiet_hours.start': optional(z.string().max(20)),
    'quiet_hours.end': optional(z.string().max(20)),
  }),
  /**
   * The Send page: an audience of numbers, chosen contacts and a segment, the message and how to send
   * it (checked by the sender, as the API's send is); which button was pressed; its one-time token.
   */
  send: z.strictObject({
    numbers: optional(z.string().max(100_000)),
    contact_q: optional(z.string().max(200)),
    contact_ids: list.pipe(z.array(z.string().max(100)).max(500)),
    segment_id: optional(z.string().max(100)),
    sender_id: optional(z.string().max(100)),
    traffic_class: z.enum(['transactional', 'promotional']),
    schedule_time: optional(z.string().max(40)),
    message: z.string().max(10_000),
    send_token: z.string().regex(/^[0-9A-Za-z]{22}$/, en['refusal.staleForm']),
    intent: optional(z.enum(['preview', 'find', 'send'])),
    fix: optional(z.string().max(2)),
  }),
  /** A sender ID asked for, checked as the API checks one. */
  senderId: senderIdRequestSchema,
  /** The usage page's range (checked as the API checks a report's); a date not given is this month's. */
  usage: z.strictObject({ from: optional(z.string().max(20)), to: optional(z.string().max(20)) }),
  /**
   * A campaign as its form gives it: the audience chosen by `audience` (a segment, or ticked contacts),
   * and on confirming, the key that makes a second submit answer the first campaign.
   */
  campaign: z.strictObject({
    name: z.string(),
    message: z.string(),
    audience: z.enum(['segment', 'contacts'], { message: en['refusal.chooseAudience'] }),
    segment_id: optional(z.string().max(100)),
    contact_ids: list,
    sender_id: optional(z.string().max(20)),
    traffic_class: optional(z.enum(TRAFFIC_CLASSES)),
    idempotency_key: optional(z.string().regex(/^[\x21-\x7e]{1,255}$/)),
  }),
  /** The campaign form's values, checked as the API checks a campaign. */
  newCampaign: campaignSchema,
  /** The new campaign page's query: the segment it starts with. */
  newCampaignQuery: z.strictObject({ segment_id: optional(z.string().max(100)) }),
  /** A segment's form: its criteria one field each; `intent` previews the count or saves. */
  segment: z.strictObject({
    name: z.string(),
    description: optional(z.string().trim().max(500)).transform((v) => v ?? null),
    'criteria.tags': optional(z.string().max(3000)),
    'criteria.is_active': optional(z.enum(['true', 'false'])),
    'criteria.created_after': optional(z.string().max(40)),
    intent: z.enum(['preview', 'save']).default('save'),
  }),
  /** The segment form's values, checked as the API checks a segment. */
  newSegment: segmentSchema,
  /** The language switch: the language, and the page to come back to. */
  language: z.strictObject({ language: z.enum(LANGUAGES), next: z.string().max(2000) }),
} as const;

/** Parses a form or query with its schema; a refusal names each field and why. */
export function parseForm<T extends z.ZodType>(schema: T, values: unknown): z.output<T> {
  const unsafe = unsafeFields(values);
  if (unsafe.length)
    throw new GatewayError(
      'VALIDATION_ERROR',
      unsafe.map((f) => `${f.field}: ${f.message}`).join('; '),
      unsafe,
    );
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const fields = issueFields(parsed.error, [], '(body)');
  throw new GatewayError(
    'VALIDATION_ERROR',
    fields.map((f) => `${f.field}: ${f.message}`).join('; '),
    fields,
  );
}
