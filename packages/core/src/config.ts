import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import {
  DEFAULT_OPT_OUT_FOOTER,
  DEFAULT_REPLIES,
  footerProblem,
  replyProblem,
} from './domain/opt-out-footer';
import { clockMinutes, DEFAULT_QUIET_HOURS } from './domain/quiet-hours';
import { canonicalTimeZone } from './domain/time-zone';
import { issueFields } from './zod-issues';

/** A price per segment: at most 1,000,000, so segments × recipients × price stays far inside what is stored exactly. */
const price = z.number().nonnegative().max(1_000_000).multipleOf(0.01, 'at most two decimals');
const positiveInt = z.number().int().positive();

const carrierSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
});

const routeSchema = z.object({
  operators: z.array(z.string().min(1)).optional(),
  prefixes: z.array(z.string().regex(/^\+[0-9]+$/, 'an E.164 prefix such as +2557')).optional(),
  carriers: z.array(z.string().min(1)).min(1),
});

const clockTime = z.string().refine((t) => clockMinutes(t) !== null, 'a 24-hour time HH:MM, such as 20:00');

/** Quiet hours as configured: the zone is checked by `Intl` and kept in its canonical spelling. */
export const quietHoursSchema = z.object({
  start: clockTime,
  end: clockTime,
  timeZone: z
    .string()
    .refine((zone) => canonicalTimeZone(zone) !== null, 'an IANA time zone, such as Africa/Dar_es_Salaam')
    .transform((zone) => canonicalTimeZone(zone)!),
});

const template = (problem: (text: string) => string | null) =>
  z.string().superRefine((text, ctx) => {
    const found = problem(text);
    if (found) ctx.addIssue({ code: 'custom', message: found });
  });

const keywords = z
  .array(z.string().regex(/^[A-Z0-9]+$/, 'one upper-case word (letters and digits), such as STOP'))
  .min(1);

/** The configuration (`MIFUMO_CONFIG` file, or `createMifumo` options). Every field has a default. */
export const configSchema = z
  .object({
    defaultRegion: z
      .string()
      .refine((r) => isSupportedCountry(r), 'an ISO 3166 country code such as TZ')
      .default('TZ'),
    pricing: z
      .object({
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as TZS')
          .default('TZS'),
        perSegment: price.default(10),
        operators: z.record(z.string(), price).default({}),
        prefixes: z
          .record(z.string().regex(/^\+[0-9]+$/, 'an E.164 prefix such as +2557'), price)
          .default({}),
      })
      .prefault({}),
    senderIds: z.array(z.string().min(1)).default(['MIFUMO']),
    limits: z
      .object({
        smsPerMinute: positiveInt.default(100),
        apiCallsPerHour: positiveInt.default(1000),
        contactOpsPerHour: positiveInt.default(500),
        /** Failed authentications per client address per minute before it is answered 429. */
        authFailuresPerMinute: positiveInt.default(20),
        /** `database`: shared by every process on the database; `memory`: this process only, fastest. */
        store: z.enum(['database', 'memory']).default('database'),
      })
      .prefault({}),
    messages: z
      .object({
        /** Characters (Unicode code points) per message; null for no character limit. */
        maxLength: positiveInt.nullable().default(160),
        /** Concatenated segments per message; null for no segment limit. */
        maxSegments: positiveInt.max(255).nullable().default(null),
        maxRecipients: positiveInt.max(100_000).default(10_000),
        /** Check numbers against the numbering plan, not only their length. */
        strictPhoneValidation: z.boolean().default(false),
        /** Replace look-alikes (curly quotes, dashes, …) that alone would force UCS-2; accounts may override. */
        smartEncoding: z.boolean().default(false),
        /** Furthest ahead a message can be scheduled. */
        maxScheduleDays: positiveInt.default(365),
      })
      .prefault({}),
    /** Operators by E.164 prefix, laid over the built-in Tanzanian table (longest prefix wins). */
    operators: z
      .record(z.string().regex(/^\+[0-9]+$/, 'an E.164 prefix such as +25575'), z.string().min(1))
      .default({}),
    carriers: z.array(carrierSchema).default([{ id: 'dev', type: 'fake' }]),
    routes: z.array(routeSchema).default([]),
    webhooks: z
      .object({
        /** Let webhooks reach loopback, private, link-local and other internal addresses (tests, local development). */
        allowPrivateNetworks: z.boolean().default(false),
        /** One attempt's limit, connect to last byte. */
        timeoutMs: positiveInt.max(120_000).default(10_000),
        /** How long an event is retried before it is given up (from its creation, or from a re-send). */
        retryForMs: positiveInt.default(86_400_000),
        /** First retry after about this long (jittered), doubling up to `maxRetryDelayMs`. */
        retryBaseMs: positiveInt.default(10_000),
        maxRetryDelayMs: positiveInt.default(3_600_000),
        /** Attempts made at once by each `deliverWebhooksDue` (its workers), across receivers. */
        batchSize: positiveInt.max(1000).default(50),
        /**
         * Attempts in flight at once to one receiver (host and port) in a process: fewer than
         * `batchSize`, so a slow receiver leaves workers for everyone else's.
         */
        maxInFlightPerHost: positiveInt.default(8),
        /** An attempt claimed longer ago than this is taken to be from a dead worker and made again. */
        claimTimeoutMs: positiveInt.default(60_000),
      })
      .prefault({}),
    retention: z
      .object({
        /** Days after which a finished message's body is replaced by `[redacted]` (numbers, statuses, costs and dates stay for billing); null: kept. */
        messageBodyDays: positiveInt.nullable().default(90),
        /** Days after which a delivered or given-up webhook event is deleted; null: kept. */
        webhookEventDays: positiveInt.nullable().default(30),
        /** Days after which an inbound message's text is replaced by `[redacted]`; null: kept. */
        inboundDays: positiveInt.nullable().default(90),
        /** Rows one pruning statement changes at most, so that none holds the database for long. */
        batchSize: positiveInt.max(10_000).default(500),
      })
      .prefault({}),
    dispatch: z
      .object({
        batchSize: positiveInt.max(1000).default(100),
        /** A claim older than this is taken to be from a dead dispatcher and is claimed again. */
        claimTimeoutMs: positiveInt.default(30_000),
        maxAttempts: positiveInt.default(5),
        retryBaseMs: positiveInt.default(2_000),
        /** A delivery report for a carrier id not stored yet (it beat its submit) is held this long, then dropped. */
        reportHoldMs: positiveInt.default(600_000),
        /** Reports held per carrier at most; past it, a report for an id not stored yet is dropped (and logged once). */
        maxHeldReports: positiveInt.default(10_000),
        /** Retryable failures in a row (refusals, timeouts) after which a carrier is skipped for `breakerCooldownMs`. */
        breakerFailures: positiveInt.default(5),
        breakerCooldownMs: positiveInt.default(30_000),
      })
      .prefault({}),
    delivery: z
      .object({
        /** A recipient `sent` with no final receipt this long after becomes `expired` (not refunded: the carrier took it). */
        receiptTimeoutMs: positiveInt.default(48 * 3_600_000),
      })
      .prefault({}),
    auth: z
      .object({
        /** How long a verified key stays cached; a revoke in this process takes effect at once regardless. */
        cacheTtlMs: z.number().int().nonnegative().default(1_000),
        /** Read the client address from this header, behind proxies you trust; else the socket's. */
        clientAddressHeader: z.string().min(1).nullable().default(null),
        /**
         * Proxies in front of the gateway that append to `clientAddressHeader`: the address is the entry
         * this many from the end (the one the outermost of them saw).
         */
        trustedProxies: positiveInt.max(100).default(1),
      })
      .prefault({}),
    contacts: z
      .object({
        /** Rows one import may hold (CSV or JSON). */
        maxImportRows: positiveInt.max(1_000_000).default(50_000),
        /** Largest import body, in bytes (every other request: `maxBodyBytes`). */
        maxImportBytes: positiveInt.default(16_777_216),
      })
      .prefault({}),
    campaigns: z
      .object({
        /** Recipients one campaign may reach (after leaving out inactive contacts and repeated numbers). */
        maxRecipients: positiveInt.max(1_000_000).default(100_000),
      })
      .prefault({}),
    dashboard: z
      .object({
        /** Serve the dashboard at `<base>/dashboard/` (sign-in with an admin API key). */
        enabled: z.boolean().default(true),
        /** How long a sign-in lasts (absolute; signing out or revoking its key ends it sooner). */
        sessionTtlMs: positiveInt.max(30 * 86_400_000).default(8 * 3_600_000),
      })
      .prefault({}),
    /** Rules for promotional messages: quiet hours, the opt-out footer, the keyword replies. Accounts may override the texts and quiet hours. */
    compliance: z
      .object({
        /** When promotional messages wait; null for none. */
        quietHours: quietHoursSchema.nullable().default(DEFAULT_QUIET_HOURS),
        /** Added to every promotional message: `{number}` (required) and `{keyword}` (on a shared short code). */
        optOutFooter: template(footerProblem).default(DEFAULT_OPT_OUT_FOOTER),
        /** Replies to the keywords below; `{sender}` is who the messages come from. */
        optOutReply: template(replyProblem).default(DEFAULT_REPLIES.optOutReply),
        optInReply: template(replyProblem).default(DEFAULT_REPLIES.optInReply),
        helpReply: template(replyProblem).default(DEFAULT_REPLIES.helpReply),
        optOutKeywords: keywords.default([
          'STOP',
          'STOPALL',
          'UNSUBSCRIBE',
          'CANCEL',
          'END',
          'QUIT',
          'ACHA',
          'SITISHA',
          'HAPO',
        ]),
        optInKeywords: keywords.default(['START', 'ANZA', 'RUDI']),
        helpKeywords: keywords.default(['HELP', 'MSAADA']),
        /** How long a process keeps an account's settings and pauses; a change in this process applies at once. */
        cacheTtlMs: z.number().int().nonnegative().default(1_000),
      })
      .prefault({}),
    /** Largest accepted request body, in bytes. */
    maxBodyBytes: positiveInt.default(1_048_576),
  })
  .superRefine((cfg, ctx) => {
    const ids = new Set<string>();
    cfg.carriers.forEach((c, i) => {
      if (ids.has(c.id))
        ctx.addIssue({ code: 'custom', path: ['carriers', i, 'id'], message: `duplicate id ${c.id}` });
      ids.add(c.id);
    });
    cfg.routes.forEach((r, i) => {
      r.carriers.forEach((id, j) => {
        if (!ids.has(id))
          ctx.addIssue({
            code: 'custom',
            path: ['routes', i, 'carriers', j],
            message: `no carrier with id ${id}`,
          });
      });
    });
    if (cfg.webhooks.claimTimeoutMs <= cfg.webhooks.timeoutMs)
      ctx.addIssue({
        code: 'custom',
        path: ['webhooks', 'claimTimeoutMs'],
        message: 'must be longer than webhooks.timeoutMs, or a slow attempt could be made twice',
      });
    if (cfg.webhooks.maxInFlightPerHost >= cfg.webhooks.batchSize)
      ctx.addIssue({
        code: 'custom',
        path: ['webhooks', 'maxInFlightPerHost'],
        message:
          'must be less than webhooks.batchSize, or one slow receiver could hold every delivery worker',
      });
    const listed = new Map<string, string>();
    for (const list of ['optOutKeywords', 'optInKeywords', 'helpKeywords'] as const)
      cfg.compliance[list].forEach((word, i) => {
        const other = listed.get(word);
        if (other)
          ctx.addIssue({
            code: 'custom',
            path: ['compliance', list, i],
            message: `${word} is already in compliance.${other}`,
          });
        listed.set(word, list);
      });
    if (cfg.carriers.length === 0)
      ctx.addIssue({ code: 'custom', path: ['carriers'], message: 'at least one carrier' });
  });

export type MifumoConfigInput = z.input<typeof configSchema>;
export type MifumoConfig = z.output<typeof configSchema>;

/**
 * Each problem as `path: message`, e.g. `pricing.perSegment: Invalid input: expected number, received
 * string`; `at` prefixes the path (`carriers.0` for a carrier entry checked on its own).
 */
export function describeConfigIssues(error: z.ZodError, at: readonly PropertyKey[] = []): string[] {
  return issueFields(error, at).map((f) => `${f.field || '(root)'}: ${f.message}`);
}
